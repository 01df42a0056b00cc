//! A key server for the contract 0.2 tests: answers every `GET` with the
//! bytes it was given (and `Cache-Control: max-age=…`), any other request
//! with `status_for_others`, and counts what it was asked, per path, so a
//! test can tell a cached key from a fetched one and see follow-up calls.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub struct KeyServer {
    pub origin: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    task: tokio::task::JoinHandle<()>,
}

impl KeyServer {
    /// Serves `key` at every path, fresh for `max_age` seconds.
    pub async fn start(key: &[u8], max_age: u64) -> KeyServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let (key, counted) = (key.to_vec(), hits.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let (key, counted) = (key.clone(), counted.clone());
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 16 << 10];
                    let mut read = 0;
                    // Headers only: the requests it gets have no body.
                    while !buffer[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buffer[read..]).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => read += n,
                        }
                    }
                    let head = String::from_utf8_lossy(&buffer[..read]).to_string();
                    let path = head
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or("/")
                        .split('?')
                        .next()
                        .unwrap_or("/")
                        .to_string();
                    *counted.lock().unwrap().entry(path).or_default() += 1;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nCache-Control: max-age={max_age}\r\nConnection: close\r\n\r\n",
                        key.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.write_all(&key).await;
                });
            }
        });
        KeyServer { origin, hits, task }
    }

    /// Requests received for `path` so far.
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

//! The run's summary: achieved rate, outcomes and latency percentiles.

use crate::Args;
use hdrhistogram::Histogram;
use std::collections::BTreeMap;

pub struct Summary {
    target_rate: u64,
    achieved_rate: f64,
    duration_s: u64,
    sent: u64,
    pub ok: u64,
    errors: BTreeMap<String, u64>,
    percentiles_ms: [(&'static str, f64); 5],
}

impl Summary {
    pub fn new(
        args: &Args,
        histogram: &Histogram<u64>,
        ok: u64,
        sent: u64,
        errors: BTreeMap<String, u64>,
    ) -> Summary {
        let ms = |q: f64| histogram.value_at_quantile(q) as f64 / 1000.0;
        Summary {
            target_rate: args.rate,
            achieved_rate: ok as f64 / args.duration as f64,
            duration_s: args.duration,
            sent,
            ok,
            errors,
            percentiles_ms: [
                ("p50_ms", ms(0.5)),
                ("p90_ms", ms(0.9)),
                ("p99_ms", ms(0.99)),
                ("p999_ms", ms(0.999)),
                ("max_ms", histogram.max() as f64 / 1000.0),
            ],
        }
    }

    pub fn print(&self, json: bool) {
        if json {
            let errors: Vec<String> = self
                .errors
                .iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect();
            let percentiles: Vec<String> = self
                .percentiles_ms
                .iter()
                .map(|(k, v)| format!("\"{k}\":{v:.3}"))
                .collect();
            println!(
                "{{\"target_rate\":{},\"achieved_rate\":{:.1},\"duration_s\":{},\"sent\":{},\"ok\":{},\"errors\":{{{}}},{}}}",
                self.target_rate,
                self.achieved_rate,
                self.duration_s,
                self.sent,
                self.ok,
                errors.join(","),
                percentiles.join(",")
            );
            return;
        }
        let target = if self.target_rate == 0 {
            "saturation".to_string()
        } else {
            format!("{} req/s", self.target_rate)
        };
        println!(
            "target {target}, achieved {:.0} req/s over {} s ({} sent, {} ok)",
            self.achieved_rate, self.duration_s, self.sent, self.ok
        );
        for (name, value) in &self.percentiles_ms {
            println!("  {:<8} {value:.3} ms", name.trim_end_matches("_ms"));
        }
        for (error, count) in &self.errors {
            println!("  error {error}: {count}");
        }
    }
}

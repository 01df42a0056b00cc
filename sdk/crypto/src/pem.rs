//! PEM armour, read leniently: vendors serve bundles of several blocks, CRLF
//! line ends and unusual line widths, so a block is found by its `BEGIN`/`END`
//! lines and the base64 between them is decoded with whitespace ignored.
//! Encrypted PEM (header lines) is refused: only public material comes here.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// At most this many blocks are read from one input (a CA bundle is ~150).
const MAX_BLOCKS: usize = 256;

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block, decoded.
#[derive(Debug)]
pub(crate) struct Block {
    pub label: String,
    pub der: Vec<u8>,
}

/// Whether `bytes` holds PEM armour at all (DER never contains this text at
/// its start, and these inputs are small).
pub(crate) fn is_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|w| w == b"-----BEGIN ")
}

/// Every block of `bytes`, in order. Text outside blocks is ignored (bundles
/// often carry comments between certificates).
pub(crate) fn blocks(bytes: &[u8]) -> Result<Vec<Block>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "PEM is not UTF-8 text".to_string())?;
    let mut rest = text;
    let mut out = Vec::new();
    while let Some(start) = rest.find("-----BEGIN ") {
        if out.len() == MAX_BLOCKS {
            return Err(format!("more than {MAX_BLOCKS} PEM blocks"));
        }
        let after = &rest[start + 11..];
        let label_end = after
            .find("-----")
            .ok_or_else(|| "unterminated PEM BEGIN line".to_string())?;
        let label = &after[..label_end];
        let body_and_rest = &after[label_end + 5..];
        let end_line = format!("-----END {label}-----");
        let body_end = body_and_rest
            .find(&end_line)
            .ok_or_else(|| format!("PEM block {label} has no END line"))?;
        let body = &body_and_rest[..body_end];
        if body.contains(':') {
            return Err(format!("PEM block {label} has headers (encrypted?)"));
        }
        let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = BASE64
            .decode(compact.as_bytes())
            .map_err(|e| format!("PEM block {label}: bad base64 ({e})"))?;
        out.push(Block {
            label: label.to_string(),
            der,
        });
        rest = &body_and_rest[body_end + end_line.len()..];
    }
    if out.is_empty() {
        return Err("no PEM block".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_bundle_with_crlf_comments_and_odd_widths() {
        let text = "# first\r\n-----BEGIN CERTIFICATE-----\r\nAAEC\r\nAw==\r\n-----END CERTIFICATE-----\r\n\
                    junk between\n-----BEGIN PUBLIC KEY-----\nBAUG\n-----END PUBLIC KEY-----\n";
        let blocks = blocks(text.as_bytes()).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].der, [0, 1, 2, 3]);
        assert_eq!(blocks[1].label, "PUBLIC KEY");
        assert_eq!(blocks[1].der, [4, 5, 6]);
    }

    #[test]
    fn refuses_unterminated_encrypted_and_empty_input() {
        assert!(blocks(b"-----BEGIN CERTIFICATE-----\nAAEC\n").is_err());
        assert!(
            blocks(b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAEC\n-----END RSA PRIVATE KEY-----").is_err()
        );
        assert!(blocks(b"nothing here").is_err());
        assert!(blocks(b"-----BEGIN X-----\n!!!!\n-----END X-----").is_err());
        assert!(!is_pem(&[0x30, 0x82, 0x01, 0x0a]));
    }
}

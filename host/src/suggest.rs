//! "Did you mean …?": the known names closest to one that is not known.
//!
//! A mistyped preset, source or destination name should not end a first try
//! with a bare "not found" and a list of fifty names to read. The API (an
//! unknown preset, on its own page or when creating a source) and the command
//! line (a source or destination named by name) suggest from here, so they
//! suggest alike: by edit distance, plus the names that contain the typed one.

/// Up to three of `known` closest to `wanted`, closest first: those within
/// an edit distance of a third of its length (at least one), ignoring case,
/// then those that contain it (three characters or more).
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let budget = (wanted.chars().count() / 3).max(1);
    let mut close: Vec<(usize, &str)> = known
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let distance = distance(&wanted_lower, &lower);
            if distance <= budget {
                Some((distance, name))
            } else if wanted_lower.chars().count() >= 3 && lower.contains(&wanted_lower) {
                Some((budget + 1, name))
            } else {
                None
            }
        })
        .collect();
    close.sort();
    close.dedup_by(|a, b| a.1 == b.1);
    close.into_iter().take(3).map(|(_, name)| name).collect()
}

/// `did you mean "a"?` (or `"a", "b" or "c"`), when any known name is close.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let close: Vec<String> = closest(wanted, known)
        .into_iter()
        .map(|name| format!("{name:?}"))
        .collect();
    let (last, rest) = close.split_last()?;
    Some(if rest.is_empty() {
        format!("did you mean {last}?")
    } else {
        format!("did you mean {} or {last}?", rest.join(", "))
    })
}

/// Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESETS: [&str; 8] = [
        "github",
        "gitlab",
        "shopify",
        "shopify-js",
        "stripe",
        "stripe-py",
        "generic-hmac",
        "svix",
    ];

    #[test]
    fn distances_count_insertions_deletions_and_substitutions() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("stripe", "stripe"), 0);
        assert_eq!(distance("strpe", "stripe"), 1);
        assert_eq!(distance("stirpe", "stripe"), 2);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn typos_suggest_the_closest_names_first() {
        assert_eq!(closest("strpe", PRESETS), ["stripe"]);
        assert_eq!(closest("Stripe", PRESETS), ["stripe", "stripe-py"]);
        assert_eq!(closest("githb", PRESETS), ["github"]);
        assert_eq!(closest("shopfy", PRESETS), ["shopify"]);
        assert_eq!(closest("hmac", PRESETS), ["generic-hmac"]);
        assert!(closest("zzzzzz", PRESETS).is_empty());
        assert!(closest("", PRESETS).is_empty());
    }

    #[test]
    fn the_suggestion_reads_as_a_question() {
        assert_eq!(
            did_you_mean("strpe", PRESETS).as_deref(),
            Some("did you mean \"stripe\"?")
        );
        assert_eq!(
            did_you_mean("stripe-p", PRESETS).as_deref(),
            Some("did you mean \"stripe-py\" or \"stripe\"?")
        );
        assert_eq!(did_you_mean("nothing-like-it", PRESETS), None);
    }
}

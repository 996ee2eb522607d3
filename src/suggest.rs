//! "Did you mean" suggestions for misspelled names (rules, packages, config keys).

/// The candidate closest to `word` by edit distance, if it is close enough to be a plausible
/// misspelling (at most a third of the word's length, and at least one edit). Swapping two
/// neighbours counts as one edit (optimal string alignment), since that is the most common typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// The help line for a misspelled name, worded the same everywhere: ``did you mean `x`?``.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|close| format!("did you mean `{close}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_plausible_names() {
        let rules = ["leaked_reference", "returned_box"];
        assert_eq!(closest("leaked_refrence", rules), Some("leaked_reference"));
        assert_eq!(closest("returned_bx", rules), Some("returned_box"));
        assert_eq!(closest("nothing_like_it", rules), None);
        // A transposition is one edit.
        assert_eq!(closest("dyn_bxo", ["dyn_box"]), Some("dyn_box"));
        assert_eq!(
            did_you_mean("returned_bx", rules).as_deref(),
            Some("did you mean `returned_box`?")
        );
    }
}

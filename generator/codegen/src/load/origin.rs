//! Where each node of the normalised document came from.
//!
//! The loader turns what the user wrote (Swagger 2.0, OpenAPI 3.1, several files, an overlay)
//! into one OpenAPI 3.0 document before the model is built, and every later problem is found in
//! that normalised document. An [`Origins`] map takes a pointer in the normalised document back
//! to the file and pointer the user wrote, so diagnostics point into the user's own file.
//!
//! A rule maps a *prefix* of normalised pointers to a prefix in one source file; the longest
//! matching prefix wins, and the rest of the pointer is carried over unchanged. A pointer no
//! rule covers is in the main file at the same place.

/// Index of a source file in the loader's list (0 is the file the user named).
pub type FileId = usize;

/// Maps normalised pointers back to (file, pointer) as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    /// (normalised prefix, file, prefix as written), in the order recorded.
    rules: Vec<(String, FileId, String)>,
}

impl Origins {
    /// No rules: every pointer is in the main file, unchanged.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that the normalised node at `normalised` (and everything under it) was written
    /// at `written` in `file`. A later rule for the same prefix replaces an earlier one.
    pub fn record(&mut self, normalised: impl Into<String>, file: FileId, written: impl Into<String>) {
        let normalised = normalised.into();
        self.rules.retain(|(prefix, ..)| *prefix != normalised);
        self.rules.push((normalised, file, written.into()));
    }

    /// Where the normalised `pointer` was written.
    pub fn find(&self, pointer: &str) -> (FileId, String) {
        let best = self
            .rules
            .iter()
            .filter(|(prefix, ..)| covers(prefix, pointer))
            .max_by_key(|(prefix, ..)| prefix.len());
        match best {
            Some((prefix, file, written)) => (*file, format!("{written}{}", &pointer[prefix.len()..])),
            None => (0, pointer.to_owned()),
        }
    }

    /// Appends `other`'s rules after this map's own (used when one stage's output is the next
    /// stage's input: `other` describes the earlier stage).
    pub fn then(self, later: Origins) -> Origins {
        // A pointer is first taken back through the later stage, then through this one.
        let mut composed = Origins::new();
        for (prefix, file, written) in &later.rules {
            if *file == 0 {
                let (file, written) = self.find(written);
                composed.rules.push((prefix.clone(), file, written));
            } else {
                composed.rules.push((prefix.clone(), *file, written.clone()));
            }
        }
        // Rules of the earlier stage still apply to pointers the later stage left in place.
        for rule in self.rules {
            if !composed.rules.iter().any(|(p, ..)| *p == rule.0) {
                composed.rules.push(rule);
            }
        }
        composed
    }
}

/// Whether `prefix` is `pointer` or one of its ancestors (whole reference tokens only).
fn covers(prefix: &str, pointer: &str) -> bool {
    pointer.starts_with(prefix)
        && (pointer.len() == prefix.len() || pointer.as_bytes()[prefix.len()] == b'/' || prefix.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmapped_pointers_stay_in_the_main_file() {
        assert_eq!(Origins::new().find("/paths/~1a"), (0, "/paths/~1a".to_owned()));
    }

    #[test]
    fn the_longest_prefix_wins_on_whole_tokens() {
        let mut origins = Origins::new();
        origins.record("/components/schemas", 0, "/definitions");
        origins.record("/components/schemas/Pet", 1, "/Pet");
        assert_eq!(
            origins.find("/components/schemas/Pet/properties/id"),
            (1, "/Pet/properties/id".to_owned())
        );
        assert_eq!(
            origins.find("/components/schemas/Petal"),
            (0, "/definitions/Petal".to_owned())
        );
    }

    #[test]
    fn stages_compose() {
        let mut first = Origins::new();
        first.record("/components/schemas", 0, "/definitions");
        let mut second = Origins::new();
        second.record("/components/schemas/Hoisted", 0, "/components/schemas/Pet/properties/a");
        let both = first.then(second);
        assert_eq!(
            both.find("/components/schemas/Hoisted/type"),
            (0, "/definitions/Pet/properties/a/type".to_owned())
        );
        assert_eq!(both.find("/components/schemas/X"), (0, "/definitions/X".to_owned()));
    }
}

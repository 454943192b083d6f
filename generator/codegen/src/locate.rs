//! From a JSON pointer to the line and column where that node is written.
//!
//! `openapiv3` deserialises through serde, which keeps no positions. When (and only when)
//! there is a problem to report, the source is read again with a YAML event parser (JSON is
//! YAML, so this serves both) and each node's pointer is mapped to where it starts. A mapping
//! entry is located at its key, which is the line a reader looks for.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::push_pointer;

/// Where every node of a document starts, by JSON pointer.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    positions: HashMap<String, (usize, usize)>,
}

enum Frame {
    Mapping {
        pointer: String,
        key: Option<String>,
    },
    Sequence {
        pointer: String,
        index: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
}

impl Builder {
    /// Called when a node (scalar, mapping or sequence) starts. Returns the node's pointer, or
    /// `None` when the node is a mapping key.
    fn node_start(&mut self, mark: Marker, key_text: Option<&str>) -> Option<String> {
        let position = (mark.line(), mark.col() + 1);
        match self.stack.last_mut() {
            None => {
                self.positions.entry(String::new()).or_insert(position);
                Some(String::new())
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                None => {
                    // This node is a key: the entry it names is located here.
                    let text = key_text.unwrap_or("").to_owned();
                    let child = push_pointer(pointer, &text);
                    self.positions.entry(child).or_insert(position);
                    *key = Some(text);
                    None
                }
                Some(text) => {
                    let child = push_pointer(pointer, &text);
                    self.positions.entry(child.clone()).or_insert(position);
                    Some(child)
                }
            },
            Some(Frame::Sequence { pointer, index }) => {
                let child = push_pointer(pointer, &index.to_string());
                *index += 1;
                self.positions.entry(child.clone()).or_insert(position);
                Some(child)
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                self.node_start(mark, Some(&text));
            }
            Event::Alias(_) => {
                self.node_start(mark, None);
            }
            Event::MappingStart(..) => {
                if let Some(pointer) = self.node_start(mark, None) {
                    self.stack.push(Frame::Mapping { pointer, key: None });
                }
            }
            Event::SequenceStart(..) => {
                if let Some(pointer) = self.node_start(mark, None) {
                    self.stack.push(Frame::Sequence { pointer, index: 0 });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

impl LineIndex {
    /// Indexes `source`. A document the YAML parser rejects yields whatever was indexed before
    /// the error (the error itself is reported by the loader, with its own position).
    pub fn build(source: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(source);
        // A parse error only shortens the index; the loader reports it.
        let _ = parser.load(&mut builder, false);
        LineIndex {
            positions: builder.positions,
        }
    }

    /// The (line, column) of `pointer`, or of its nearest ancestor that exists, both 1-based.
    pub fn find(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut current = pointer;
        loop {
            if let Some(position) = self.positions.get(current) {
                return Some(*position);
            }
            let cut = current.rfind('/')?;
            current = &current[..cut];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.0.3\npaths:\n  /pets/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n";

    #[test]
    fn finds_mapping_entries_at_their_key() {
        let index = LineIndex::build(DOC);
        assert_eq!(index.find("/openapi"), Some((1, 1)));
        assert_eq!(index.find("/paths/~1pets~1{id}/get"), Some((4, 5)));
    }

    #[test]
    fn finds_sequence_items_and_falls_back_to_ancestors() {
        let index = LineIndex::build(DOC);
        assert_eq!(
            index.find("/paths/~1pets~1{id}/get/parameters/0/in"),
            Some((7, 11))
        );
        assert_eq!(
            index.find("/paths/~1pets~1{id}/get/responses"),
            Some((4, 5))
        );
    }

    #[test]
    fn json_documents_are_indexed_too() {
        let index = LineIndex::build("{\n  \"paths\": {\n    \"/a\": {}\n  }\n}");
        assert_eq!(index.find("/paths/~1a"), Some((3, 5)));
    }
}

//! Every item of a paged list operation as one lazy stream.
//!
//! Generated `*_stream` methods (declared by `x-clientgen-pagination` on an operation) call
//! [`items`] with a function that fetches the page at a [`Position`]. Pages are fetched only
//! as the stream is read, and only one page is held at a time, so memory stays flat however
//! many items there are. The stream ends on an empty page, when `total` is reached, or when
//! the server says `has_more: false`; it ends early, without fetching more, when the caller's
//! item cap is reached; a page identical to the previous one ends it with an error instead of
//! looping; an error fetching a page is yielded as an `Err` item and ends the stream.

use std::collections::VecDeque;
use std::future::Future;

use futures::stream::{self, Stream};

use crate::Error;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// An item offset (`offset`, `skip`), counted from 0.
    Offset(u64),
    /// A page number (`page`), counted as the API counts.
    Page(u64),
    /// The first page of a list paged by links or cursors: the plain request.
    First,
    /// A link to the next page, as the server gave it (DRF's `next`).
    Link(String),
    /// A cursor from the previous page, sent back as a parameter.
    Cursor(String),
}

impl Position {
    /// The number to send (0 for positions that are not numbers).
    pub fn value(&self) -> u64 {
        match self {
            Position::Offset(n) | Position::Page(n) => *n,
            _ => 0,
        }
    }
}

/// One fetched page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// How many items the whole list has, when the server says.
    pub total: Option<u64>,
    /// Whether more pages follow, when the server says.
    pub has_more: Option<bool>,
    /// The next page's link or cursor, for lists paged that way (`None` or empty: last page).
    pub next: Option<String>,
}

struct State<T, F> {
    operation: &'static str,
    next: Option<Position>,
    buffer: VecDeque<T>,
    previous: Option<Vec<T>>,
    seen: u64,
    yielded: usize,
    max_items: Option<usize>,
    /// An error to yield once the buffered items are out.
    pending: Option<Error>,
    fetch: F,
}

/// The items of every page from `start` on; see the module documentation.
pub fn items<T, F, Fut>(
    operation: &'static str,
    start: Position,
    max_items: Option<usize>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    T: PartialEq + Clone,
    F: FnMut(Position) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let state = State {
        operation,
        next: Some(start),
        buffer: VecDeque::new(),
        previous: None,
        seen: 0,
        yielded: 0,
        max_items,
        pending: None,
        fetch,
    };
    stream::unfold(state, |mut state| async move {
        loop {
            if state.max_items.is_some_and(|max| state.yielded >= max) {
                return None;
            }
            if let Some(item) = state.buffer.pop_front() {
                state.yielded += 1;
                return Some((Ok(item), state));
            }
            if let Some(error) = state.pending.take() {
                return Some((Err(error), state));
            }
            let position = state.next.take()?;
            let page = match (state.fetch)(position.clone()).await {
                Ok(page) => page,
                // `next` is already taken: the stream ends after this error.
                Err(error) => return Some((Err(error), state)),
            };
            let count = page.items.len() as u64;
            if count == 0 {
                return None;
            }
            if state.previous.as_ref() == Some(&page.items) {
                let reason = format!(
                    "the page at {position:?} repeats the previous page; following it would loop"
                );
                let error = Error::Pagination {
                    operation: state.operation,
                    reason,
                };
                return Some((Err(error), state));
            }
            state.seen += count;
            let link = page.next.clone().filter(|next| !next.is_empty());
            let (next, reached) = match &position {
                Position::Offset(offset) => {
                    (Some(Position::Offset(offset + count)), offset + count)
                }
                Position::Page(page_number) => (Some(Position::Page(page_number + 1)), state.seen),
                Position::First | Position::Link(_) => (link.map(Position::Link), state.seen),
                Position::Cursor(_) => (link.map(Position::Cursor), state.seen),
            };
            // A link or cursor pointing where we are would fetch this page forever: yield this
            // page's items, then the error.
            if next.as_ref() == Some(&position) {
                state.pending = Some(Error::Pagination {
                    operation: state.operation,
                    reason: format!("the next page is {position:?} again; following it would loop"),
                });
                state.buffer.extend(page.items);
                continue;
            }
            let more =
                page.has_more != Some(false) && page.total.is_none_or(|total| reached < total);
            state.next = next.filter(|_| more);
            state.previous = Some(page.items.clone());
            state.buffer.extend(page.items);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    /// A list of `total` numbers served `size` at a time; records the positions asked for.
    fn pages(
        total: u64,
        size: u64,
        asked: &std::sync::Mutex<Vec<Position>>,
        position: Position,
    ) -> Result<Page<u64>, Error> {
        asked.lock().expect("lock").push(position.clone());
        let start = match position {
            Position::Page(p) => (p - 1) * size,
            other => other.value(),
        };
        let items: Vec<u64> = (start..total.min(start + size)).collect();
        Ok(Page {
            items,
            total: Some(total),
            has_more: None,
            next: None,
        })
    }

    fn collect<T>(stream: impl Stream<Item = Result<T, Error>>) -> Vec<Result<T, Error>> {
        futures::executor::block_on(stream.collect::<Vec<_>>())
    }

    #[test]
    fn offsets_advance_by_the_page_length_until_total() {
        let asked = std::sync::Mutex::new(Vec::new());
        let all = collect(items("list", Position::Offset(0), None, |p| {
            std::future::ready(pages(5, 2, &asked, p))
        }));
        let values: Vec<u64> = all.into_iter().map(|r| r.expect("item")).collect();
        assert_eq!(values, [0, 1, 2, 3, 4]);
        let asked = asked.into_inner().expect("lock");
        assert_eq!(
            asked,
            [
                Position::Offset(0),
                Position::Offset(2),
                Position::Offset(4)
            ]
        );
    }

    #[test]
    fn page_numbers_count_up_and_a_cap_stops_fetching() {
        let asked = std::sync::Mutex::new(Vec::new());
        let all = collect(items("list", Position::Page(1), Some(3), |p| {
            std::future::ready(pages(100, 2, &asked, p))
        }));
        assert_eq!(all.len(), 3);
        assert_eq!(
            asked.into_inner().expect("lock"),
            [Position::Page(1), Position::Page(2)]
        );
    }

    #[test]
    fn has_more_false_and_empty_pages_end_the_stream() {
        let one_page = collect(items("list", Position::Offset(0), None, |_| {
            std::future::ready(Ok(Page {
                items: vec![1, 2],
                total: None,
                has_more: Some(false),
                next: None,
            }))
        }));
        assert_eq!(one_page.len(), 2);
        let empty = collect(items("list", Position::Offset(0), None, |_| {
            std::future::ready(Ok(Page::<u8> {
                items: vec![],
                total: Some(10),
                has_more: Some(true),
                next: None,
            }))
        }));
        assert!(empty.is_empty());
    }

    #[test]
    fn a_repeated_page_is_an_error_not_a_loop() {
        let all = collect(items("list", Position::Offset(0), None, |_| {
            std::future::ready(Ok(Page {
                items: vec![7, 8],
                total: None,
                has_more: None,
                next: None,
            }))
        }));
        assert_eq!(all.len(), 3);
        assert!(matches!(
            all[2],
            Err(Error::Pagination {
                operation: "list",
                ..
            })
        ));
    }

    #[test]
    fn links_are_followed_until_there_is_none() {
        let asked = std::sync::Mutex::new(Vec::new());
        let all = collect(items("list", Position::First, None, |p| {
            asked.lock().expect("lock").push(p.clone());
            let (items, next) = match &p {
                Position::First => (vec![1, 2], Some("https://api/x?page=2".to_owned())),
                Position::Link(l) if l.ends_with("page=2") => {
                    (vec![3], Some("https://api/x?page=3".to_owned()))
                }
                _ => (vec![4], None),
            };
            std::future::ready(Ok(Page {
                items,
                total: None,
                has_more: None,
                next,
            }))
        }));
        assert_eq!(all.len(), 4);
        assert_eq!(asked.into_inner().expect("lock").len(), 3);
    }

    #[test]
    fn a_link_back_to_the_same_page_is_an_error() {
        let looping = collect(items("list", Position::Link("same".into()), None, |_| {
            std::future::ready(Ok(Page {
                items: vec![1],
                total: None,
                has_more: None,
                next: Some("same".to_owned()),
            }))
        }));
        assert_eq!(looping.len(), 2);
        assert!(matches!(looping[1], Err(Error::Pagination { .. })));
    }
}

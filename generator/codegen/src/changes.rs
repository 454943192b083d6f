//! What changed in a generated crate's public API between two regenerations, each change
//! classified by the crate's semver rules, and whether the crate's version allows it.
//!
//! # The rules, and why
//!
//! A change is **breaking** when code that compiled and worked against the old crate may no
//! longer compile, or a response it decoded may no longer decode:
//! - an operation, parameter, request body, type, struct member, enum value or union variant
//!   removed; any of their Rust types changed; a parameter, body or member turned from optional
//!   to required or back (the field's type gains or loses its `Option`);
//! - a required parameter or request body added (the parameter struct's `new`, or the method,
//!   takes one more argument);
//! - a required member added to a struct: request structs must now be given it, and answers of
//!   a server that does not send it stop decoding;
//! - a union variant added: unions are plain enums a caller may match exhaustively;
//! - what a method returns changed.
//!
//! It is **not breaking** (a minor release) when it only adds:
//! - an operation, a type, a `*_stream` or job helper;
//! - an optional parameter (parameter structs are built with `new(required…)` or `Default` and
//!   `..`);
//! - an optional struct member: structs already keep members they do not know, so an old
//!   client reads a new server's answers, and a new client reads an old server's (the member is
//!   `None`). Only code that builds or destructures such a struct exhaustively must add the
//!   field; the crates' READMEs say to use `..` instead;
//! - an enum value: enums are `#[non_exhaustive]` and already keep unknown values, so no match
//!   breaks and no answer stops decoding.
//!
//! A different `METHOD /path` for an operation is reported, not breaking: the Rust API is the
//! same and the change is the spec following the server.
//!
//! A breaking change needs a new major version, or for `0.y.z` a new minor one
//! (`version_allows`), as Cargo's own compatibility rules read versions.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::surface::{OperationSurface, Surface, TypeSurface};

/// One change to a crate's public API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether it breaks users (see the module's rules).
    pub breaking: bool,
    /// What changed, naming the operation or type.
    pub text: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = if self.breaking {
            "breaking"
        } else {
            "compatible"
        };
        write!(f, "{label}: {}", self.text)
    }
}

struct Changes(Vec<Change>);

impl Changes {
    fn breaking(&mut self, text: String) {
        self.0.push(Change {
            breaking: true,
            text,
        });
    }

    fn minor(&mut self, text: String) {
        self.0.push(Change {
            breaking: false,
            text,
        });
    }
}

/// The changes from `old` to `new`, breaking ones first, each group in name order.
pub fn between(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut changes = Changes(Vec::new());
    for name in keys(&old.operations, &new.operations) {
        match (old.operations.get(name), new.operations.get(name)) {
            (Some(_), None) => changes.breaking(format!("operation `{name}` removed")),
            (None, Some(op)) => changes.minor(format!("operation `{name}` (`{}`)", op.request)),
            (Some(a), Some(b)) => operation(&mut changes, name, a, b),
            (None, None) => {}
        }
    }
    for name in keys(&old.types, &new.types) {
        match (old.types.get(name), new.types.get(name)) {
            (Some(_), None) => changes.breaking(format!("type `{name}` removed")),
            (None, Some(t)) => changes.minor(format!("type `{name}` ({})", t.kind())),
            (Some(a), Some(b)) => match merged_into(a, b, new) {
                Some(target) => changes.minor(format!(
                    "type `{name}`: now an alias of `{target}`, which has the same definition; \
                     the name works as before"
                )),
                None => type_change(&mut changes, name, a, b),
            },
            (None, None) => {}
        }
    }
    let mut changes = changes.0;
    changes.sort_by(|a, b| {
        b.breaking
            .cmp(&a.breaking)
            .then_with(|| a.text.cmp(&b.text))
    });
    changes
}

fn keys<'a, V>(a: &'a BTreeMap<String, V>, b: &'a BTreeMap<String, V>) -> BTreeSet<&'a String> {
    a.keys().chain(b.keys()).collect()
}

fn optional_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn operation(changes: &mut Changes, name: &str, a: &OperationSurface, b: &OperationSurface) {
    let at = format!("operation `{name}`");
    if a.request != b.request {
        changes.minor(format!(
            "{at}: now sends `{}` (was `{}`); the Rust API is unchanged",
            b.request, a.request
        ));
    }
    if a.path_params != b.path_params {
        let show = |p: &[(String, String)]| {
            p.iter()
                .map(|(n, t)| format!("{n}: {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        changes.breaking(format!(
            "{at}: path arguments ({}) were ({})",
            show(&b.path_params),
            show(&a.path_params)
        ));
    }
    for param in keys(&a.params, &b.params) {
        let p = format!("{at}: parameter `{param}`");
        match (a.params.get(param), b.params.get(param)) {
            (Some(_), None) => changes.breaking(format!("{p} removed")),
            (None, Some(x)) if x.required => {
                changes.breaking(format!("{p} added, required ({})", x.ty))
            }
            (None, Some(x)) => changes.minor(format!("{p} added, optional ({})", x.ty)),
            (Some(x), Some(y)) => {
                if x.ty != y.ty {
                    changes.breaking(format!("{p}: type `{}` (was `{}`)", y.ty, x.ty));
                }
                if x.required != y.required {
                    changes.breaking(format!("{p}: now {}", optional_word(y.required)));
                }
                if x.location != y.location {
                    changes.minor(format!(
                        "{p}: now sent in the {} (was the {}); the Rust API is unchanged",
                        y.location, x.location
                    ));
                }
            }
            (None, None) => {}
        }
    }
    match (&a.body, &b.body) {
        (Some(_), None) => changes.breaking(format!("{at}: request body removed")),
        (None, Some(x)) if x.required => {
            changes.breaking(format!("{at}: request body added, required ({})", x.ty))
        }
        (None, Some(x)) => changes.breaking(format!(
            "{at}: request body added, optional ({}): the method takes one more argument",
            x.ty
        )),
        (Some(x), Some(y)) => {
            if x.ty != y.ty {
                changes.breaking(format!("{at}: request body `{}` (was `{}`)", y.ty, x.ty));
            }
            if x.required != y.required {
                changes.breaking(format!(
                    "{at}: request body now {}",
                    optional_word(y.required)
                ));
            }
        }
        (None, None) => {}
    }
    if a.returns != b.returns {
        changes.breaking(format!(
            "{at}: returns `{}` (was `{}`)",
            b.returns, a.returns
        ));
    } else if a.responses != b.responses {
        changes.breaking(format!(
            "{at}: the responses of `{}` changed: {:?} (were {:?})",
            b.returns, b.responses, a.responses
        ));
    }
    match (a.paginated, b.paginated) {
        (true, false) => changes.breaking(format!("{at}: `{name}_stream` removed")),
        (false, true) => changes.minor(format!("{at}: `{name}_stream` added")),
        _ => {}
    }
    match (&a.job, &b.job) {
        (Some(j), None) => changes.breaking(format!("{at}: job helper `{j}` removed")),
        (None, Some(j)) => changes.minor(format!("{at}: job helper `{j}` added")),
        (Some(x), Some(y)) if x != y => {
            changes.breaking(format!("{at}: job helper `{y}` (was `{x}`)"))
        }
        _ => {}
    }
}

/// The type `a` was merged into when the generator found it identical to another (an alias
/// to a type whose surface is `a`'s own): every use of the name (as a type, a constructor,
/// a struct literal, a pattern) compiles as before. `None` for any other change.
fn merged_into<'n>(a: &TypeSurface, b: &'n TypeSurface, new: &Surface) -> Option<&'n str> {
    let TypeSurface::Alias { target } = b else {
        return None;
    };
    let same = !matches!(a, TypeSurface::Alias { .. }) && new.types.get(target.as_str()) == Some(a);
    same.then_some(target.as_str())
}

fn type_change(changes: &mut Changes, name: &str, a: &TypeSurface, b: &TypeSurface) {
    let at = format!("type `{name}`");
    match (a, b) {
        (TypeSurface::Struct { members: x }, TypeSurface::Struct { members: y }) => {
            for member in keys(x, y) {
                let m = format!("{at}: member `{member}`");
                match (x.get(member), y.get(member)) {
                    (Some(_), None) => changes.breaking(format!("{m} removed")),
                    (None, Some(n)) if !n.optional => {
                        changes.breaking(format!("{m} added, required ({})", n.ty))
                    }
                    (None, Some(n)) => changes.minor(format!("{m} added, optional ({})", n.ty)),
                    (Some(o), Some(n)) => {
                        if o.ty != n.ty {
                            changes.breaking(format!("{m}: type `{}` (was `{}`)", n.ty, o.ty));
                        }
                        if o.optional != n.optional {
                            changes.breaking(format!("{m}: now {}", optional_word(!n.optional)));
                        }
                    }
                    (None, None) => {}
                }
            }
        }
        (TypeSurface::Enum { values: x }, TypeSurface::Enum { values: y }) => {
            let (x, y): (BTreeSet<&String>, BTreeSet<&String>) =
                (x.iter().collect(), y.iter().collect());
            for v in x.difference(&y) {
                changes.breaking(format!("{at}: value `{v}` removed"));
            }
            for v in y.difference(&x) {
                changes.minor(format!("{at}: value `{v}` added"));
            }
        }
        (TypeSurface::Union { variants: x }, TypeSurface::Union { variants: y }) => {
            for variant in keys(x, y) {
                let v = format!("{at}: variant `{variant}`");
                match (x.get(variant), y.get(variant)) {
                    (Some(_), None) => changes.breaking(format!("{v} removed")),
                    (None, Some(t)) => changes
                        .breaking(format!("{v} added ({t}): a union is matched exhaustively")),
                    (Some(o), Some(n)) if o != n => {
                        changes.breaking(format!("{v}: type `{n}` (was `{o}`)"))
                    }
                    _ => {}
                }
            }
        }
        (TypeSurface::Alias { target: x }, TypeSurface::Alias { target: y }) => {
            if x != y {
                changes.breaking(format!("{at}: now `{y}` (was `{x}`)"));
            }
        }
        _ => changes.breaking(format!(
            "{at}: now {} (was {})",
            crate::naming::with_article(b.kind()),
            crate::naming::with_article(a.kind())
        )),
    }
}

/// `major.minor.patch` of a version (a pre-release or build suffix is ignored).
fn numbers(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

/// Whether going from version `old` to `new` is allowed with these changes: never backwards,
/// and a breaking change needs what Cargo treats as an incompatible version (a new major, or
/// for `0.y.z` a new minor, or for `0.0.z` a new patch). `Err` says what version would do.
pub(crate) fn version_allows(old: &str, new: &str, breaking: bool) -> Result<(), String> {
    let (Some(o), Some(n)) = (numbers(old), numbers(new)) else {
        return Err(format!(
            "`{new}` or `{old}` is not a `major.minor.patch` version"
        ));
    };
    if n < o {
        return Err(format!("the version went backwards, from {old} to {new}"));
    }
    if !breaking {
        return Ok(());
    }
    let (needed, compatible) = match o {
        (0, 0, patch) => (format!("0.0.{}", patch + 1), n == o),
        (0, minor, _) => (format!("0.{}.0", minor + 1), n.0 == 0 && n.1 == minor),
        (major, _, _) => (format!("{}.0.0", major + 1), n.0 == major),
    };
    if compatible {
        Err(format!(
            "{new} is semver-compatible with {old}, so users would get the breaking changes \
             in an update they did not ask for: set the version to {needed} (or later)"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const BASE: &str = r#"
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
        state: {$ref: '#/components/schemas/State'}
        size: {$ref: '#/components/schemas/Size'}
    State:
      type: string
      enum: [open, closed]
    Size:
      oneOf:
        - {type: string}
        - {type: integer}
"#;

    fn surface(yaml: &str) -> Surface {
        let spec = crate::load::parse(Path::new("things.yaml"), yaml.to_owned())
            .unwrap_or_else(|e| panic!("{e}"));
        let model = crate::model::build(&spec).unwrap_or_else(|e| panic!("{e:?}"));
        Surface::of(&model, "things-client", "0.1.0")
    }

    /// The changes an edit of the base spec makes: `(breaking, text)` each.
    fn edit(from: &str, to: &str) -> Vec<(bool, String)> {
        assert!(BASE.contains(from), "the edit must apply: {from}");
        let old = surface(BASE);
        let new = surface(&BASE.replacen(from, to, 1));
        between(&old, &new)
            .into_iter()
            .map(|c| (c.breaking, c.text))
            .collect()
    }

    fn one(from: &str, to: &str) -> (bool, String) {
        let changes = edit(from, to);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        changes.into_iter().next().expect("one")
    }

    #[test]
    fn the_same_spec_changes_nothing() {
        assert!(between(&surface(BASE), &surface(BASE)).is_empty());
    }

    #[test]
    fn operations_added_removed_or_moved() {
        let removed = edit(
            "  /things/{id}:\n    get:\n      operationId: getThing",
            "  /things/{id}:\n    delete:\n      operationId: deleteThing",
        );
        assert!(
            removed.contains(&(true, "operation `get_thing` removed".into())),
            "{removed:?}"
        );
        assert!(
            removed.contains(&(
                false,
                "operation `delete_thing` (`DELETE /things/{id}`)".into()
            )),
            "{removed:?}"
        );
        assert_eq!(
            one("  /things/{id}:", "  /items/{id}:"),
            (
                false,
                "operation `get_thing`: now sends `GET /items/{id}` (was `GET /things/{id}`); the Rust API is unchanged".into()
            )
        );
    }

    #[test]
    fn parameters_added_required_or_optional_removed_and_retyped() {
        let param = "        - {name: limit, in: query, schema: {type: integer}}";
        assert_eq!(
            one(
                param,
                &format!("{param}\n        - {{name: q, in: query, schema: {{type: string}}}}")
            ),
            (
                false,
                "operation `list_things`: parameter `q` added, optional (String)".into()
            )
        );
        assert_eq!(
            one(
                param,
                &format!("{param}\n        - {{name: q, in: query, required: true, schema: {{type: string}}}}")
            ),
            (true, "operation `list_things`: parameter `q` added, required (String)".into())
        );
        assert_eq!(
            one(
                param,
                "        - {name: limit, in: query, schema: {type: string}}"
            ),
            (
                true,
                "operation `list_things`: parameter `limit`: type `String` (was `i64`)".into()
            )
        );
        assert_eq!(
            one(
                param,
                "        - {name: limit, in: query, required: true, schema: {type: integer}}"
            ),
            (
                true,
                "operation `list_things`: parameter `limit`: now required".into()
            )
        );
        assert_eq!(
            one(
                "        - {name: id, in: path, required: true, schema: {type: string}}",
                "        - {name: id, in: path, required: true, schema: {type: integer}}"
            ),
            (
                true,
                "operation `get_thing`: path arguments (id: i64) were (id: String)".into()
            )
        );
    }

    #[test]
    fn members_added_optional_or_required_removed_and_retyped() {
        assert_eq!(
            one(
                "        id: {type: string}\n",
                "        id: {type: string}\n        note: {type: string}\n"
            ),
            (
                false,
                "type `Thing`: member `note` added, optional (String)".into()
            )
        );
        assert_eq!(
            one("      required: [id]\n", "      required: [id, name]\n"),
            (true, "type `Thing`: member `name`: now required".into())
        );
        assert_eq!(
            one("        name: {type: string}\n", ""),
            (true, "type `Thing`: member `name` removed".into())
        );
        assert_eq!(
            one(
                "        name: {type: string}\n",
                "        name: {type: integer}\n"
            ),
            (
                true,
                "type `Thing`: member `name`: type `i64` (was `String`)".into()
            )
        );
        let required = edit(
            "      required: [id]\n      properties:\n",
            "      required: [id, kind]\n      properties:\n        kind: {type: string}\n",
        );
        assert_eq!(
            required,
            [(
                true,
                "type `Thing`: member `kind` added, required (String)".into()
            )]
        );
    }

    #[test]
    fn enum_values_added_are_minor_and_removed_are_breaking() {
        assert_eq!(
            one("enum: [open, closed]", "enum: [open, closed, archived]"),
            (false, "type `State`: value `archived` added".into())
        );
        assert_eq!(
            one("enum: [open, closed]", "enum: [open]"),
            (true, "type `State`: value `closed` removed".into())
        );
    }

    #[test]
    fn union_variants_and_responses_and_bodies() {
        let union = edit(
            "        - {type: integer}\n",
            "        - {type: integer}\n        - {type: boolean}\n",
        );
        assert_eq!(union.len(), 1, "{union:?}");
        assert!(
            union[0].0 && union[0].1.starts_with("type `Size`: variant"),
            "{union:?}"
        );
        let returns = edit(
            "        '201':\n          description: created\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}",
            "        '201':\n          description: created\n          content:\n            application/json:\n              schema: {type: string}",
        );
        assert_eq!(
            returns,
            [(
                true,
                "operation `create_thing`: returns `String` (was `Thing`)".into()
            )]
        );
        assert_eq!(
            one(
                "      requestBody:\n        required: true",
                "      requestBody:\n        required: false"
            ),
            (
                true,
                "operation `create_thing`: request body now optional".into()
            )
        );
    }

    #[test]
    fn breaking_changes_need_an_incompatible_version() {
        assert_eq!(version_allows("0.1.0", "0.1.1", false), Ok(()));
        assert_eq!(version_allows("0.1.0", "0.2.0", true), Ok(()));
        assert_eq!(version_allows("0.1.3", "1.0.0", true), Ok(()));
        assert_eq!(version_allows("1.4.2", "2.0.0", true), Ok(()));
        assert_eq!(version_allows("0.0.3", "0.0.4", true), Ok(()));
        let refused = version_allows("0.1.0", "0.1.1", true).expect_err("compatible");
        assert!(refused.contains("set the version to 0.2.0"), "{refused}");
        let refused = version_allows("1.4.2", "1.5.0", true).expect_err("compatible");
        assert!(refused.contains("2.0.0"), "{refused}");
        assert!(
            version_allows("0.2.0", "0.1.0", false).is_err(),
            "backwards"
        );
        assert!(
            version_allows("0.1", "0.2.0", true).is_err(),
            "not a version"
        );
        assert_eq!(version_allows("0.2.0-rc.1", "0.3.0", true), Ok(()));
    }
}

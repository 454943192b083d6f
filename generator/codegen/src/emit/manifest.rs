//! The crate's non-code files (`Cargo.toml`, `README.md`) and its `src/lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::features::OTHER_TYPES;
use crate::model::{ApiModel, AuthKind, AuthScheme, Operation, SuccessReturn, TypeRef};
use crate::settings::{CrateSettings, RuntimeDependency};

use super::uses;

/// The `rust-version` of every generated crate: the toolchain this project is built and tested
/// with (the one toolchain its machines have). An older version would be a claim nothing checks;
/// the workspace's `Cargo.toml` and `xtask/Cargo.toml` say the same.
pub const RUST_VERSION: &str = "1.95";

/// The Apache License 2.0, this project's licence (the repository's `LICENSE`): the `LICENSE` of
/// the crates generated for its own vendors.
pub const APACHE_2_0: &str = include_str!("../../../../LICENSE");

/// Which optional crates the generated code refers to.
struct Needs {
    chrono: bool,
    uuid: bool,
}

fn needs(model: &ApiModel) -> Needs {
    let mut all: Vec<&TypeRef> = Vec::new();
    for def in &model.types {
        match &def.kind {
            crate::model::TypeKind::Struct { fields, additional } => {
                all.extend(fields.iter().map(|f| &f.ty));
                if let crate::model::Additional::Typed(ty) = additional {
                    all.push(ty);
                }
            }
            crate::model::TypeKind::Union { variants, .. } => {
                all.extend(variants.iter().map(|v| &v.ty))
            }
            crate::model::TypeKind::Alias(ty) => all.push(ty),
            crate::model::TypeKind::Enum { .. } => {}
        }
    }
    for op in &model.operations {
        all.extend(op.path_params.iter().chain(&op.params).map(|p| &p.ty));
        if let Some(body) = &op.body {
            all.push(&body.ty);
        }
    }
    let any = |wanted: &dyn Fn(&TypeRef) -> bool| all.iter().any(|ty| uses(ty, wanted));
    Needs {
        chrono: any(&|t| matches!(t, TypeRef::DateTime | TypeRef::Date)),
        uuid: any(&|t| matches!(t, TypeRef::Uuid)),
    }
}

/// `Cargo.toml`.
pub fn cargo_toml(model: &ApiModel, settings: &CrateSettings, header: &str) -> String {
    let needs = needs(model);
    let description = settings
        .description
        .clone()
        .unwrap_or_else(|| format!("Typed async client for the {}.", model.title));
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    out.push_str(&format!(
        "[package]\nname = {}\nversion = {}\nedition = \"2021\"\nrust-version = {}\ndescription = {}\n",
        toml_string(&settings.crate_name),
        toml_string(&settings.version),
        toml_string(RUST_VERSION),
        toml_string(&description),
    ));
    // The caller's choice, else what the spec's `info.license` names; never this project's
    // licence for a crate generated from someone else's spec.
    if let Some(license) = settings.license.as_ref().or(model.license.as_ref()) {
        out.push_str(&format!("license = {}\n", toml_string(license)));
    }
    out.push_str("readme = \"README.md\"\n");
    if settings.publish {
        if let Some(repository) = &settings.repository {
            out.push_str(&format!("repository = {}\n", toml_string(repository)));
        }
        out.push_str(&format!(
            "documentation = {}\n",
            toml_string(&format!("https://docs.rs/{}", settings.crate_name))
        ));
        let keywords: Vec<String> = settings
            .keywords
            .iter()
            .take(5)
            .map(|k| toml_string(k))
            .collect();
        if !keywords.is_empty() {
            out.push_str(&format!("keywords = [{}]\n", keywords.join(", ")));
        }
        out.push_str("categories = [\"api-bindings\", \"web-programming::http-client\"]\n");
    } else {
        out.push_str("publish = false\n");
    }
    out.push_str("\n[dependencies]\n");
    out.push_str(&format!(
        "clientgen-runtime = {}\n",
        runtime_dependency(&settings.runtime)
    ));
    if needs.chrono {
        out.push_str("chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    out.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
    // Unknown members are captured as raw JSON.
    out.push_str("serde_json = { version = \"1\", features = [\"raw_value\"] }\n");
    if needs.uuid {
        out.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
    }
    out.push_str(
        "\n[features]\n# A typed fake of the API for tests (`fake::FakeApi`), served by wiremock on 127.0.0.1.\nfake = [\"clientgen-runtime/fake\"]\n",
    );
    if !model.features.is_empty() {
        let names: Vec<String> = model.features.tags.keys().map(|f| toml_string(f)).collect();
        out.push_str(&format!(
            "# One feature per tag of the spec, all on by default: each builds its tag's methods and the types only they use.\ndefault = [{}]\n",
            names.join(", ")
        ));
        for (feature, tag) in &model.features.tags {
            if feature == OTHER_TYPES {
                out.push_str(&format!(
                    "# The types no operation uses (webhook payloads, for example).\n{feature} = []\n"
                ));
                continue;
            }
            out.push_str(&format!(
                "# Tag {}: {} operation{}.\n{feature} = []\n",
                toml_string(&tag.tag),
                tag.operations,
                if tag.operations == 1 { "" } else { "s" },
            ));
        }
    }
    out.push_str("\n[package.metadata.docs.rs]\nfeatures = [\"fake\"]\n");
    out.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n");
    if settings.standalone {
        out.push_str(
            "\n# Built on its own, not as a member of an enclosing workspace.\n[workspace]\n",
        );
    }
    out
}

/// The value of the `clientgen-runtime` dependency.
fn runtime_dependency(runtime: &RuntimeDependency) -> String {
    match runtime {
        RuntimeDependency::Path { path, version } => match version {
            Some(version) => format!(
                "{{ path = {}, version = {} }}",
                toml_string(path),
                toml_string(version)
            ),
            None => format!("{{ path = {} }}", toml_string(path)),
        },
        RuntimeDependency::Version(version) => toml_string(version),
        RuntimeDependency::Git { url, rev } => match rev {
            Some(rev) => format!(
                "{{ git = {}, rev = {} }}",
                toml_string(url),
                toml_string(rev)
            ),
            None => format!("{{ git = {} }}", toml_string(url)),
        },
    }
}

fn toml_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            '\n' => vec!['\\', 'n'],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

/// The operation the README example calls: one needing no path parameters, no required
/// parameters and no body, preferring `GET`.
pub(crate) fn example_operation(model: &ApiModel) -> Option<&Operation> {
    let simple = |op: &&Operation| {
        op.path_params.is_empty() && op.body.is_none() && op.params.iter().all(|p| !p.required)
    };
    let mut candidates = model.operations.iter().filter(simple);
    let first = candidates.clone().next();
    candidates.find(|op| op.http_method == "GET").or(first)
}

/// `README.md`; its Rust example is compiled as a doctest through `lib.rs`.
pub fn readme(model: &ApiModel, settings: &CrateSettings, header: &str) -> String {
    let krate = settings.crate_name.replace('-', "_");
    let env = &settings.env_prefix;
    let mut out = String::new();
    out.push_str(&format!("<!-- {} -->\n\n", header.replace('\n', " ")));
    out.push_str(&format!("# {}\n\n", settings.crate_name));
    out.push_str(&format!(
        "Typed async Rust client for the {} (API version {}), generated from `{}`.\n\n",
        model.title, model.api_version, settings.spec_label
    ));
    if let Some(description) = &model.description {
        out.push_str(&super::doc::sanitize(description));
        out.push_str("\n\n");
    }
    out.push_str("## Usage\n\n");
    let call = example_call(model);
    if model.auth.is_empty() {
        out.push_str(&usage_example(&krate, env, None, &call));
    } else {
        if model.auth.len() > 1 {
            out.push_str("The API accepts several ways to authenticate; each has a builder method. One complete example per way:\n\n");
        }
        for scheme in &model.auth {
            if model.auth.len() > 1 {
                out.push_str(&format!("### {}\n\n", auth_flow_title(scheme)));
            }
            if let Some(doc) = &scheme.doc {
                out.push_str(&super::doc::sanitize(doc));
                out.push_str("\n\n");
            }
            out.push_str(&usage_example(&krate, env, Some(scheme), &call));
        }
    }
    out.push_str("Every method returns `Result<_, Error>`. A response with a status the operation does not declare as a success becomes `Error::Status`, which keeps the status, headers and the whole body; a body that does not match its type becomes `Error::Decode`, naming the JSON path that failed.\n\n");
    out.push_str("Responses are read tolerantly: members the spec does not list are kept in `additional_properties`, and enum values it does not list decode to an `Unknown` variant holding the value, so a newer server does not break this client.\n\n");
    out.push_str(&fake_section(model, settings));
    out.push_str(&features_section(model, settings));
    out.push_str("## Operations\n\n");
    if model.features.is_empty() {
        out.push_str(&operations_table(model.operations.iter()));
        return out;
    }
    let untagged: Vec<&Operation> = model
        .operations
        .iter()
        .filter(|op| model.features.of_operation(&op.id).is_none())
        .collect();
    if !untagged.is_empty() {
        out.push_str("### Always built\n\n");
        out.push_str(&operations_table(untagged.into_iter()));
        out.push('\n');
    }
    for (feature, tag) in &model.features.tags {
        if tag.operations == 0 {
            continue;
        }
        out.push_str(&format!("### {} (feature `{feature}`)\n\n", tag.tag));
        out.push_str(&operations_table(model.operations.iter().filter(|op| {
            model.features.of_operation(&op.id) == Some(feature.as_str())
        })));
        out.push('\n');
    }
    out
}

/// A table of `operations`: method, HTTP method and path, summary.
fn operations_table<'o>(operations: impl Iterator<Item = &'o Operation>) -> String {
    let mut out = String::from("| method | HTTP | summary |\n|---|---|---|\n");
    for op in operations {
        let summary = op
            .summary
            .as_deref()
            .unwrap_or("")
            .replace('|', "\\|")
            .replace('\n', " ");
        out.push_str(&format!(
            "| [`{m}`](Client::{m}) | `{} {}` | {summary} |\n",
            op.http_method,
            op.path,
            m = op.method_name
        ));
    }
    out
}

/// The README section on the tag features, for a crate that has them.
fn features_section(model: &ApiModel, settings: &CrateSettings) -> String {
    let Some((example, _)) = model.features.tags.iter().find(|(_, t)| t.operations > 0) else {
        return String::new();
    };
    let mut out = String::from("## Building only what you call\n\n");
    out.push_str(&format!(
        "Each tag of the spec is a cargo feature, all on by default; the methods of a tag, and the types only they use, are built with its feature. A program that calls only some tags builds less with\n\n```toml\n{} = {{ version = {}, default-features = false, features = [{}] }}\n```\n\nTypes that several tags use are built with any of them. The features, with their operations:\n\n| feature | tag | operations |\n|---|---|---:|\n",
        settings.crate_name,
        toml_string(&settings.version),
        toml_string(example),
    ));
    for (feature, tag) in &model.features.tags {
        if feature == OTHER_TYPES {
            out.push_str(&format!(
                "| `{feature}` | the types no operation uses (webhook payloads, for example) | 0 |\n"
            ));
            continue;
        }
        out.push_str(&format!(
            "| `{feature}` | {} | {} |\n",
            tag.tag.replace('|', "\\|"),
            tag.operations
        ));
    }
    out.push('\n');
    out
}

/// The README section on the `fake` feature, with the example the `fake` module runs.
fn fake_section(model: &ApiModel, settings: &CrateSettings) -> String {
    let name = &settings.crate_name;
    let version = &settings.version;
    let mut out = String::from("## Testing your code against a fake\n\n");
    out.push_str(&format!(
        "The `fake` feature adds `fake::FakeApi`: the API served by wiremock on 127.0.0.1 for your own tests. Say per operation what it answers (`returns` a value of the operation's own success type, `returns_in_turn` several, such as the pages of a list or the statuses of a job; `fails(status)` or `fails_with(status, &body)`; after a `delay`; only `when` a condition on the call holds), take a client with credentials it accepts from `fake.client()` (token endpoints are served too), and read back each call (operation, method, path, query pairs, headers, JSON body) from `fake.calls()`, or one operation's calls and typed request bodies from `fake.<operation>().calls()` and `.bodies()`. An operation given no answer answers `501`, naming itself.\n\n```toml\n[dev-dependencies]\n{name} = {{ version = \"{version}\", features = [\"fake\"] }}\n```\n\n"
    ));
    out.push_str(&super::fake::example(model, name, "rust,ignore"));
    out.push_str("\n(This example runs as the doctest of the `fake` module.)\n\n");
    out
}

/// A heading for one way to authenticate, e.g. "Bearer token (`bearer_token`)".
fn auth_flow_title(scheme: &AuthScheme) -> String {
    let what = match &scheme.kind {
        AuthKind::Basic => "User name and password (HTTP Basic)".to_owned(),
        AuthKind::Bearer => "Bearer token".to_owned(),
        AuthKind::ApiKeyHeader { .. }
        | AuthKind::ApiKeyQuery { .. }
        | AuthKind::ApiKeyCookie { .. } => "API key".to_owned(),
        AuthKind::ClientCredentials { .. } => "OAuth 2.0 client credentials".to_owned(),
        AuthKind::TokenExchange(_) => "API key exchanged for a short-lived token".to_owned(),
    };
    format!("{what} (`{}`)", scheme.method_name)
}

/// The statements of the example's body after the client is built.
fn example_call(model: &ApiModel) -> String {
    let Some(op) = example_operation(model) else {
        return "    println!(\"{client:?}\");\n".to_owned();
    };
    let args = if op.params_type.is_some() {
        "&Default::default()"
    } else {
        ""
    };
    let unit = matches!(
        &op.success,
        SuccessReturn::Single {
            payload: crate::model::Payload::Empty,
            ..
        }
    );
    if unit {
        format!("    client.{}({args}).await?;\n", op.method_name)
    } else {
        format!(
            "    let answer = client.{}({args}).await?;\n    println!(\"{{answer:#?}}\");\n",
            op.method_name
        )
    }
}

/// One complete program: build a client from environment variables with `scheme`, make a call.
fn usage_example(krate: &str, env: &str, scheme: Option<&AuthScheme>, call: &str) -> String {
    let mut out = String::from("```rust,no_run\n");
    out.push_str(&format!("use {krate}::Client;\n\n"));
    out.push_str("#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n");
    out.push_str("    let client = Client::builder()\n");
    out.push_str(&format!("        .base_url(std::env::var(\"{env}_BASE_URL\").unwrap_or_else(|_| {krate}::DEFAULT_BASE_URL.to_owned()))\n"));
    if let Some(scheme) = scheme {
        let method = &scheme.method_name;
        let args = match &scheme.kind {
            AuthKind::Basic => {
                format!("std::env::var(\"{env}_USER\")?, std::env::var(\"{env}_PASSWORD\")?")
            }
            AuthKind::Bearer => format!("std::env::var(\"{env}_TOKEN\")?"),
            AuthKind::ClientCredentials { .. } => format!(
                "std::env::var(\"{env}_CLIENT_ID\")?, std::env::var(\"{env}_CLIENT_SECRET\")?"
            ),
            AuthKind::TokenExchange(def) if def.basic => {
                format!("std::env::var(\"{env}_USER\")?, std::env::var(\"{env}_API_KEY\")?")
            }
            AuthKind::TokenExchange(_)
            | AuthKind::ApiKeyHeader { .. }
            | AuthKind::ApiKeyQuery { .. }
            | AuthKind::ApiKeyCookie { .. } => {
                format!("std::env::var(\"{env}_API_KEY\")?")
            }
        };
        out.push_str(&format!("        .{method}({args})\n"));
    }
    out.push_str("        .build()?;\n");
    out.push_str(call);
    out.push_str("    Ok(())\n}\n```\n\n");
    out
}

/// `src/lib.rs`.
pub fn lib_rs() -> TokenStream {
    quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        // Shapes follow the spec: wide constructors and large variants are the API's own.
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]
        #![allow(deprecated)]

        mod client;
        pub mod operations;
        pub mod types;
        #[cfg(feature = "fake")]
        pub mod fake;

        pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, SERVERS};
        pub use clientgen_runtime::{Error, Server, StatusError};
    }
}

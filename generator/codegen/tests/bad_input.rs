//! Broken specs give located errors (file, line, JSON pointer) and never a panic.

use std::path::{Path, PathBuf};

use clientgen::{generate_file, CrateSettings, GenerateError};

fn settings() -> CrateSettings {
    CrateSettings {
        env_prefix: "BROKEN".into(),
        regen_command: "cargo xtask regen".into(),
        ..CrateSettings::standalone("broken-client", "broken.yaml")
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(name)
}

/// Generates from a broken fixture and returns its one diagnostic as text.
fn error_for(name: &str) -> String {
    let path = fixture(name);
    match generate_file(&path, &settings()) {
        Ok(_) => panic!("{name} was accepted"),
        Err(GenerateError::Spec(diagnostics)) => {
            assert!(!diagnostics.0.is_empty());
            for d in &diagnostics.0 {
                assert_eq!(d.file, path, "diagnostic names the spec file");
            }
            diagnostics
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        }
        Err(other) => panic!("{name}: not a spec error: {other}"),
    }
}

/// Asserts the message names `line`, the JSON `pointer` and says `what`.
fn assert_located(message: &str, line: usize, pointer: &str, what: &str) {
    assert!(
        message.contains(&format!(".yaml:{line}:")),
        "no line {line} in: {message}"
    );
    assert!(
        message.contains(&format!("[at {pointer}]")),
        "no pointer {pointer} in: {message}"
    );
    assert!(message.contains(what), "`{what}` not in: {message}");
}

#[test]
fn invalid_yaml_names_the_line_of_the_syntax_error() {
    let message = error_for("invalid_yaml.yaml");
    assert!(message.contains("invalid_yaml.yaml:"), "{message}");
    assert!(
        message.contains("did not find expected ',' or '}'") || message.contains("flow mapping"),
        "{message}"
    );
}

#[test]
fn unresolvable_ref_names_the_reference_and_where_it_is() {
    let message = error_for("unresolvable_ref.yaml");
    assert_located(
        &message,
        12,
        "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        "unresolvable $ref `#/components/schemas/Missing`",
    );
}

#[test]
fn duplicate_operation_id_points_at_the_second_use() {
    let message = error_for("duplicate_operation_id.yaml");
    assert_located(
        &message,
        10,
        "/paths/~1b/get/operationId",
        "duplicate operationId `fetch` (first used at /paths/~1a/get)",
    );
}

#[test]
fn documents_of_an_unknown_version_are_refused_by_version() {
    let message = error_for("swagger_1_2.yaml");
    assert_located(
        &message,
        1,
        "/swagger",
        "Swagger version `1.2` is not supported",
    );
}

#[test]
fn swagger_2_and_openapi_3_1_documents_are_read() {
    for name in ["swagger_2.yaml", "openapi_3_1.yaml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/versions")
            .join(name);
        if let Err(e) = generate_file(&path, &settings()) {
            panic!("{name}: {e}");
        }
    }
}

/// Strict loading reports every problem of the document in one run, each at its own node:
/// a bad node does not hide the others, and mended defects are errors too.
#[test]
fn every_problem_is_reported_at_once_each_at_its_own_node() {
    let message = error_for("many_defects.yaml");
    assert_located(
        &message,
        7,
        "/paths/~1a/get/responses",
        "invalid type: sequence, expected struct Responses",
    );
    assert_located(
        &message,
        13,
        "/paths/~1b/get/parameters/0",
        "unknown variant `nowhere`",
    );
    assert_located(
        &message,
        15,
        "/paths/~1b/get/responses/200",
        "response without `description`",
    );
    assert_located(
        &message,
        24,
        "/paths/~1c/get/responses/200/content/application~1json/schema/$ref",
        "unresolvable $ref `#/components/schemas/Missing`",
    );
    assert_located(
        &message,
        30,
        "/components/securitySchemes/oauth/flows/clientCredentials",
        "OAuth2 flow without `scopes`",
    );
    assert_located(
        &message,
        34,
        "/components/schemas/Count/maximum",
        "not a 64-bit integer",
    );
    assert_eq!(message.lines().count(), 6, "{message}");
}

#[test]
fn a_path_placeholder_needs_a_parameter() {
    let message = error_for("missing_path_parameter.yaml");
    assert_located(
        &message,
        5,
        "/paths/~1things~1{id}/get",
        "`{id}` placeholder but no path parameter `id`",
    );
}

#[test]
fn an_unreadable_file_reference_is_located_at_the_reference() {
    let message = error_for("external_ref.yaml");
    assert_located(
        &message,
        9,
        "/components/schemas/Pet/properties/owner/$ref",
        "cannot read `",
    );
}

/// Cookie parameters and object parameters are generated (see `param_styles.rs`); what
/// OpenAPI leaves undefined is reported where the style is written.
#[test]
fn a_style_undefined_for_the_shape_is_located() {
    let message = error_for("undefined_param_style.yaml");
    assert_located(
        &message,
        8,
        "/paths/~1a/get/parameters/0/style",
        "parameter `id` is a scalar, but `style: deepObject` is defined only for objects; it is sent as `style: form`",
    );
}

/// Each operation is read on its own, so a structural error names the node that has it.
#[test]
fn structural_errors_name_the_node_and_the_expected_shape() {
    let message = error_for("responses_not_a_map.yaml");
    assert_located(
        &message,
        7,
        "/paths/~1a/get/responses",
        "invalid type: sequence, expected struct Responses",
    );
}

#[test]
fn enum_varnames_must_match_the_values() {
    let message = error_for("enum_varnames_mismatch.yaml");
    assert_located(
        &message,
        9,
        "/components/schemas/Status/x-enum-varnames",
        "`x-enum-varnames` has 2 names for 3 enum values",
    );
}

#[test]
fn reference_cycles_without_a_type_are_reported() {
    let message = error_for("alias_cycle.yaml");
    assert_located(
        &message,
        6,
        "/components/schemas/A",
        "chain of $refs that leads back to itself",
    );
}

#[test]
fn unknown_http_auth_schemes_are_reported() {
    let message = error_for("unknown_http_scheme.yaml");
    assert_located(
        &message,
        6,
        "/components/securitySchemes/digest/scheme",
        "HTTP authentication scheme `digest` is not supported",
    );
}

#[test]
fn a_security_requirement_naming_an_undeclared_scheme_is_reported() {
    let message = error_for("unknown_security_scheme.yaml");
    assert_located(
        &message,
        9,
        "/paths/~1things/get/security/1",
        "security requirement names `apiKey`, which is not a key of components/securitySchemes",
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let path = fixture("does_not_exist.yaml");
    let error = generate_file(&path, &settings()).expect_err("missing file");
    assert!(
        error.to_string().contains("cannot read the file"),
        "{error}"
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let dir = std::env::temp_dir().join(format!("clientgen-multi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("two_problems.yaml");
    std::fs::write(
        &path,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/Nope'}\n    B: {$ref: '#/components/schemas/Gone'}\n",
    )
    .expect("write spec");
    let Err(GenerateError::Spec(diagnostics)) = generate_file(&path, &settings()) else {
        panic!("accepted");
    };
    assert_eq!(diagnostics.0.len(), 2, "{diagnostics}");
    assert_eq!(diagnostics.0[0].line, Some(6));
    assert_eq!(diagnostics.0[1].line, Some(7));
}

#[test]
fn discriminator_mappings_must_name_an_alternative() {
    let message = error_for("bad_discriminator_mapping.yaml");
    assert_located(
        &message,
        12,
        "/components/schemas/Event/discriminator/mapping/scroll",
        "discriminator mapping `scroll` names `#/components/schemas/Scroll`, which is not one of the union's alternatives",
    );
}

#[test]
fn a_cycle_through_required_members_has_no_finite_value() {
    let message = error_for("required_cycle.yaml");
    assert_located(
        &message,
        10,
        "/components/schemas/Chicken/properties/egg",
        "`Chicken` contains itself through required members starting at `egg`",
    );
    assert!(
        message.contains("/components/schemas/Egg/properties/chicken"),
        "both ends are named: {message}"
    );
}

#[test]
fn token_exchange_extensions_are_checked() {
    let message = error_for("bad_token_exchange.yaml");
    assert_located(
        &message,
        11,
        "/components/securitySchemes/exchange/x-clientgen-token-exchange/credentials",
        "`credentials` is `digest`; it must be `basic` or `bearer`",
    );
}

#[test]
fn pagination_paths_are_checked_against_the_response() {
    let message = error_for("bad_pagination_path.yaml");
    assert_located(
        &message,
        12,
        "/paths/~1things/get/x-clientgen-pagination/items",
        "the response has no member `results` on the way to `results`",
    );
}

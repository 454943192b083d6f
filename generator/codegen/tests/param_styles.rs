//! Every OpenAPI 3.0 parameter style and location reaches the model and the generated calls.

use std::path::Path;

use clientgen::model::{self, AuthKind, Param, ParamLocation, ParamStyle, TypeRef};
use clientgen::{generate, CrateSettings};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Styles, version: "1"}
components:
  securitySchemes:
    session:
      type: apiKey
      in: cookie
      name: SESSION
  schemas:
    Color:
      type: object
      properties:
        R: {type: integer}
        G: {type: integer}
    Fields:
      anyOf:
        - {type: string}
        - {type: array, items: {type: string}}
paths:
  /items/{label}/{matrix}/{simple}:
    get:
      operationId: get_items
      parameters:
        - {name: label, in: path, required: true, style: label, explode: true, schema: {type: array, items: {type: string}}}
        - {name: matrix, in: path, required: true, style: matrix, schema: {$ref: '#/components/schemas/Color'}}
        - {name: simple, in: path, required: true, schema: {type: string}}
        - {name: color, in: query, style: deepObject, explode: true, schema: {$ref: '#/components/schemas/Color'}}
        - {name: ids, in: query, style: pipeDelimited, schema: {type: array, items: {type: integer}}}
        - {name: words, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}
        - {name: form, in: query, explode: false, schema: {$ref: '#/components/schemas/Color'}}
        - {name: plain, in: query, schema: {type: array, items: {type: string}}}
        - {name: fields, in: query, schema: {$ref: '#/components/schemas/Fields'}}
        - {name: grid, in: query, schema: {type: array, items: {type: array, items: {type: integer}}}}
        - {name: filter, in: query, content: {application/json: {schema: {type: object, additionalProperties: {type: string}}}}}
        - {name: X-Color, in: header, explode: true, schema: {$ref: '#/components/schemas/Color'}}
        - {name: X-Plain, in: header, schema: {type: string}}
        - {name: theme, in: cookie, required: true, schema: {type: string}}
        - {name: prefs, in: cookie, explode: false, schema: {type: array, items: {type: string}}}
      security: [{session: []}]
      responses: {"204": {description: ok}}
"##;

fn settings() -> CrateSettings {
    CrateSettings {
        env_prefix: "STYLES".into(),
        regen_command: "cargo xtask regen".into(),
        ..CrateSettings::standalone("styles-client", "styles.yaml")
    }
}

fn spec() -> clientgen::load::Spec {
    clientgen::load::parse(Path::new("styles.yaml"), SPEC.to_owned()).expect("parses")
}

fn find<'m>(params: &'m [Param], wire: &str) -> &'m Param {
    params
        .iter()
        .find(|p| p.wire_name == wire)
        .unwrap_or_else(|| panic!("no parameter `{wire}`"))
}

#[test]
fn styles_and_explode_take_the_spec_defaults_per_location() {
    let model = model::build(&spec()).expect("builds");
    let op = &model.operations[0];
    let expect = |params: &[Param], wire: &str, location, style, explode| {
        let p = find(params, wire);
        assert_eq!(
            (p.location, p.style, p.explode),
            (location, style, explode),
            "{wire}"
        );
    };
    use ParamLocation::{Cookie, Header, Path, Query};
    expect(&op.path_params, "label", Path, ParamStyle::Label, true);
    expect(&op.path_params, "matrix", Path, ParamStyle::Matrix, false);
    expect(&op.path_params, "simple", Path, ParamStyle::Simple, false);
    expect(&op.params, "color", Query, ParamStyle::DeepObject, true);
    expect(&op.params, "ids", Query, ParamStyle::PipeDelimited, false);
    expect(
        &op.params,
        "words",
        Query,
        ParamStyle::SpaceDelimited,
        false,
    );
    expect(&op.params, "form", Query, ParamStyle::Form, false);
    expect(&op.params, "plain", Query, ParamStyle::Form, true);
    expect(&op.params, "X-Color", Header, ParamStyle::Simple, true);
    expect(&op.params, "X-Plain", Header, ParamStyle::Simple, false);
    expect(&op.params, "theme", Cookie, ParamStyle::Form, true);
    expect(&op.params, "prefs", Cookie, ParamStyle::Form, false);
    assert!(find(&op.params, "theme").required);
    let filter = find(&op.params, "filter");
    assert!(filter.json_content);
    assert!(matches!(filter.ty, TypeRef::Map(_)), "{:?}", filter.ty);
    assert!(!find(&op.params, "form").json_content);
    assert_eq!(
        model.auth[0].kind,
        AuthKind::ApiKeyCookie {
            name: "SESSION".into()
        }
    );
}

#[test]
fn generated_calls_name_the_style_of_each_parameter() {
    let generated = generate(&spec(), &settings()).expect("generates");
    let client = generated
        .files
        .iter()
        .find(|(path, _)| path.ends_with("client.rs"))
        .map(|(_, text)| text.replace(char::is_whitespace, "").replace(",)", ")"))
        .expect("client.rs");
    for call in [
        // The ToParam fast path stays for what it writes exactly.
        r#".path_param("simple",simple)"#,
        r#".query_each("plain",params.plain.as_deref().unwrap_or_default())"#,
        r#".header_opt("x-plain",params.x_plain.as_ref())"#,
        // Everything else goes through the style encoders.
        r#".param(clientgen_runtime::param::ParamIn::Path,"label",clientgen_runtime::param::ParamStyle::Label,true,label)"#,
        r#".param(clientgen_runtime::param::ParamIn::Path,"matrix",clientgen_runtime::param::ParamStyle::Matrix,false,matrix)"#,
        r#".param_opt(clientgen_runtime::param::ParamIn::Query,"color",clientgen_runtime::param::ParamStyle::DeepObject,true,params.color.as_ref())"#,
        r#".param_opt(clientgen_runtime::param::ParamIn::Query,"ids",clientgen_runtime::param::ParamStyle::PipeDelimited,false,params.ids.as_ref())"#,
        r#".param_opt(clientgen_runtime::param::ParamIn::Query,"words",clientgen_runtime::param::ParamStyle::SpaceDelimited,false,params.words.as_ref())"#,
        r#".param_opt(clientgen_runtime::param::ParamIn::Query,"fields",clientgen_runtime::param::ParamStyle::Form,true,params.fields.as_ref())"#,
        r#".param_opt(clientgen_runtime::param::ParamIn::Query,"grid",clientgen_runtime::param::ParamStyle::Form,true,params.grid.as_ref())"#,
        r#".json_param_opt(clientgen_runtime::param::ParamIn::Query,"filter",params.filter.as_ref())"#,
        r#".param_opt(clientgen_runtime::param::ParamIn::Header,"X-Color",clientgen_runtime::param::ParamStyle::Simple,true,params.x_color.as_ref())"#,
        r#".param(clientgen_runtime::param::ParamIn::Cookie,"theme",clientgen_runtime::param::ParamStyle::Form,true,&params.theme)"#,
        r#".param_opt(clientgen_runtime::param::ParamIn::Cookie,"prefs",clientgen_runtime::param::ParamStyle::Form,false,params.prefs.as_ref())"#,
        r#"clientgen_runtime::Auth::api_key_cookie("SESSION","#,
        // Lists in the path are taken as slices.
        r#"label:&[String]"#,
    ] {
        assert!(client.contains(call), "missing {call} in\n{client}");
    }
}

#[test]
fn undefined_combinations_are_reported_where_the_style_is_written() {
    let source = SPEC.replace(
        "{name: words, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}",
        "{name: words, in: query, style: spaceDelimited, schema: {type: string}}",
    )
    .replace(
        "{name: color, in: query, style: deepObject, explode: true, schema: {$ref: '#/components/schemas/Color'}}",
        "{name: color, in: query, style: deepObject, explode: true, schema: {type: array, items: {type: string}}}",
    );
    let spec = clientgen::load::parse(Path::new("styles.yaml"), source).expect("parses");
    let problems = model::build(&spec).expect_err("reported");
    let shown: Vec<(String, String)> = problems
        .into_iter()
        .map(|p| (p.pointer, p.message))
        .collect();
    assert_eq!(
        shown,
        vec![
            (
                "/paths/~1items~1{label}~1{matrix}~1{simple}/get/parameters/3/style".to_owned(),
                "parameter `color` is a list, but `style: deepObject` is defined only for objects; each item is sent as `color[]=item`".to_owned()
            ),
            (
                "/paths/~1items~1{label}~1{matrix}~1{simple}/get/parameters/5/style".to_owned(),
                "parameter `words` is a scalar, but `style: spaceDelimited` is defined only for lists and objects; it is sent as `style: form`".to_owned()
            ),
        ]
    );
}

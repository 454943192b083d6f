//! The conformance crate (generated from `tests/conformance/openapi.yaml`): JSON with unknown
//! members and unknown enum values decodes and encodes back to exactly the input, and every
//! request and response encoding works against a wiremock server on 127.0.0.1.

use clientgen_runtime::FilePart;
use conformance_client::operations::{CreateRecordResponse, ListRecordsParams, SendStylesParams};
use conformance_client::types::{
    Closed, Counters, CountersWithTotal, Drawing, DrawingValuesItem, Envelope, EnvelopeState,
    Extended, Fields, Filter, Formats, HttpCode, JobStatus, Level, Login, MaybeColor, Naming,
    OpenBag, Record, RecordOrRef, Rgb, Setting, SettingValue, Severity, Shape, StringOrNumber,
    T3dModel, TreeNode, Upload,
};
use conformance_client::{Client, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Decodes `input` as `T`, checks that encoding gives `input` back, and returns the value.
fn round_trip<T: DeserializeOwned + Serialize>(input: Value) -> T {
    let value: T =
        serde_json::from_value(input.clone()).unwrap_or_else(|e| panic!("decode {input}: {e}"));
    let output = serde_json::to_value(&value).expect("encodes");
    assert_eq!(output, input, "round trip changed the document");
    value
}

// ----- objects -----

#[test]
fn records_tell_absent_from_null_and_keep_unknown_members() {
    let record: Record = round_trip(json!({
        "id": "0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11",
        "name": "first",
        "note": null,
        "comment": null,
        "server_id": "srv-1",
        "added_in_v2": {"deep": [true, null]}
    }));
    assert_eq!(record.note, None);
    assert_eq!(record.comment, Some(None), "present and null");
    assert_eq!(record.priority, None, "absent");
    assert_eq!(
        record.additional_properties.value("added_in_v2"),
        Some(json!({"deep": [true, null]}))
    );

    let record: Record = round_trip(json!({
        "id": "0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11",
        "name": "second",
        "note": "n",
        "comment": "c",
        "priority": 3,
        "password": "only sent by clients",
        "legacy_flag": true
    }));
    assert_eq!(record.comment, Some(Some("c".into())));
    #[allow(deprecated)]
    let legacy = record.legacy_flag;
    assert_eq!(legacy, Some(true));
}

#[test]
fn required_members_must_be_present() {
    let error =
        serde_json::from_value::<Record>(json!({"name": "x", "note": null})).expect_err("no id");
    assert!(error.to_string().contains("missing field `id`"), "{error}");
}

#[test]
fn additional_properties_true_schema_and_false() {
    let bag: OpenBag = round_trip(json!({"kind": "k", "anything": [1, "two"]}));
    assert_eq!(
        bag.additional_properties.value("anything"),
        Some(json!([1, "two"]))
    );
    let counters: Counters = round_trip(json!({"a": 1, "b": 2}));
    assert_eq!(counters["b"], 2);
    let with_total: CountersWithTotal = round_trip(json!({"total": 3, "x": 1, "y": 2}));
    assert_eq!(with_total.additional_properties.get("y"), Some(&2));
    assert!(serde_json::from_value::<CountersWithTotal>(json!({"x": "not a number"})).is_err());
    // `false` is honoured on encode (nothing extra is added) yet tolerated on decode.
    let closed: Closed = round_trip(json!({"only": "o", "surprise": 1}));
    assert_eq!(closed.only.as_deref(), Some("o"));
}

// ----- enums -----

#[test]
fn unknown_enum_values_decode_and_encode_verbatim() {
    let known: Severity = round_trip(json!("very-high"));
    assert_eq!(known, Severity::VeryHigh);
    let unknown: Severity = round_trip(json!("catastrophic"));
    assert_eq!(unknown, Severity::Unknown("catastrophic".into()));
    assert_eq!(unknown.to_string(), "catastrophic");

    let done: JobStatus = round_trip(json!(2));
    assert_eq!(done, JobStatus::Done);
    assert_eq!(round_trip::<JobStatus>(json!(9)), JobStatus::Unknown(9));
    assert_eq!(round_trip::<HttpCode>(json!(-1)), HttpCode::Minus1);
    assert_eq!(round_trip::<HttpCode>(json!(404)), HttpCode::V404);
    assert!(
        serde_json::from_value::<JobStatus>(json!("2")).is_err(),
        "wrong JSON type is an error"
    );
}

#[test]
fn nullable_enums_and_constants() {
    assert_eq!(round_trip::<MaybeColor>(json!("red")), MaybeColor::Red);
    let absent: Option<MaybeColor> = round_trip(json!(null));
    assert_eq!(absent, None);
    assert_eq!(
        round_trip::<conformance_client::types::AlwaysV2>(json!("v2")),
        conformance_client::types::AlwaysV2::V2
    );
}

#[test]
fn documented_value_unions_become_one_enum() {
    assert_eq!(round_trip::<Level>(json!("warn")), Level::Warn);
    assert_eq!(
        round_trip::<Level>(json!("debug")),
        Level::Unknown("debug".into())
    );
}

// ----- unions -----

#[test]
fn untagged_unions_try_each_alternative_and_keep_the_rest() {
    assert_eq!(
        round_trip::<StringOrNumber>(json!("a")),
        StringOrNumber::String("a".into())
    );
    assert_eq!(
        round_trip::<StringOrNumber>(json!(1.5)),
        StringOrNumber::Number(1.5)
    );
    assert_eq!(
        round_trip::<StringOrNumber>(json!([1])),
        StringOrNumber::Other(json!([1]))
    );
    // A union with a nullable alternative admits null: the member is an Option.
    let unset: Setting = round_trip(json!({"value": null}));
    assert_eq!(unset.value, None);
    let flag: Setting = round_trip(json!({"value": true}));
    assert_eq!(flag.value, Some(SettingValue::Bool(true)));
    let reference: RecordOrRef = round_trip(json!({"ref": "r-1"}));
    assert!(
        matches!(reference, RecordOrRef::Reference(_)),
        "{reference:?}"
    );
}

#[test]
fn discriminated_unions_dispatch_on_the_tag() {
    let circle: Shape = round_trip(json!({"shape_type": "circle", "radius": 2.5, "fill": "red"}));
    let Shape::Circle(circle) = circle else {
        panic!("not a circle")
    };
    assert_eq!(
        circle.additional_properties.value("fill"),
        Some(json!("red"))
    );
    let square: Shape = round_trip(json!({"shape_type": "Square", "side": 2.0}));
    assert!(matches!(square, Shape::Square(_)));
    let future: Shape = round_trip(json!({"shape_type": "triangle", "sides": 3}));
    assert_eq!(
        future,
        Shape::Other(json!({"shape_type": "triangle", "sides": 3}))
    );
    let wrong = serde_json::from_value::<Shape>(json!({"shape_type": "circle", "radius": "big"}));
    assert!(
        wrong.is_err(),
        "a known tag with the wrong shape is an error"
    );
}

#[test]
fn arrays_of_unions() {
    let drawing: Drawing = round_trip(json!({
        "shapes": [{"shape_type": "circle", "radius": 1.0}, {"shape_type": "hexagon"}],
        "values": ["a", 1, {"x": 1}]
    }));
    let values = drawing.values.expect("values");
    assert_eq!(values[1], DrawingValuesItem::Integer(1));
    assert_eq!(values[2], DrawingValuesItem::Other(json!({"x": 1})));
}

// ----- composition, recursion, inline names -----

#[test]
fn all_of_merges_parts_and_later_parts_override() {
    let extended: Extended =
        round_trip(json!({"id": "b-1", "extra": "e", "created_at": "yesterday"}));
    assert_eq!(
        extended.created_at.as_deref(),
        Some("yesterday"),
        "overridden as a plain string"
    );
    let described: conformance_client::types::Described =
        round_trip(json!({"id": "b-2", "created_at": "2024-05-01T12:00:00Z"}));
    assert!(
        described.created_at.is_some(),
        "an allOf of one $ref is that type"
    );
}

#[test]
fn recursive_types_nest() {
    let tree: TreeNode = round_trip(json!({
        "label": "root",
        "parent": {"label": "above"},
        "children": [{"label": "a", "children": [{"label": "a1"}]}, {"label": "b"}]
    }));
    assert_eq!(
        tree.parent.as_ref().map(|p| p.label.as_str()),
        Some("above")
    );
    assert_eq!(
        tree.children.expect("children")[0]
            .children
            .as_ref()
            .expect("grandchildren")[0]
            .label,
        "a1"
    );
}

#[test]
fn inline_schemas_are_named_from_their_place() {
    let envelope: Envelope = round_trip(json!({
        "meta": {"page": 2, "links": [{"rel": "next", "href": "https://example.com/?page=3"}]},
        "state": "open"
    }));
    let meta: conformance_client::types::EnvelopeMeta = envelope.meta.expect("meta");
    let link: &conformance_client::types::EnvelopeMetaLinksItem =
        &meta.links.as_ref().expect("links")[0];
    assert_eq!(link.rel.as_deref(), Some("next"));
    assert_eq!(envelope.state, Some(EnvelopeState::Open));
}

// ----- formats and names -----

#[test]
fn formats_map_to_typed_values() {
    let formats: Formats = round_trip(json!({
        "at": "2024-05-01T12:00:00.123Z",
        "on": "2024-05-01",
        "uuid": "5b1d7f2e-8a3c-4e6f-9d0b-1c2a3b4c5d6e",
        "small": 2147483647,
        "big": 9007199254740993_i64,
        "ratio": 0.5,
        "precise": 0.1,
        "encoded": "aGVsbG8=",
        "v4": "10.0.0.1",
        "v6": "::1",
        "ip": "192.168.1.1",
        "link": "https://example.com/a?b=c"
    }));
    assert_eq!(formats.on.map(|d| d.to_string()), Some("2024-05-01".into()));
    assert_eq!(formats.big, Some(9007199254740993));
    assert_eq!(formats.v6.map(|ip| ip.is_loopback()), Some(true));
    assert!(formats.ip.is_some_and(|ip| ip.is_ipv4()));
    assert!(serde_json::from_value::<Formats>(json!({"v4": "not an address"})).is_err());
}

#[test]
fn awkward_names_round_trip() {
    let naming: Naming = round_trip(json!({
        "type": "t", "match": "m", "self": "s", "crate": "c",
        "reactions-+1": 1, "reactions--1": 2, "2fa": true,
        "fooBar": "camel", "foo_bar": "snake",
        "additional_properties": "a member of that name",
        "unknown": "kept"
    }));
    assert_eq!(
        (naming.r#type.as_deref(), naming.self_.as_deref()),
        (Some("t"), Some("s"))
    );
    assert_eq!(
        (naming.reactions_plus_1, naming.reactions_minus_1),
        (Some(1), Some(2))
    );
    assert_eq!(
        (naming.foo_bar.as_deref(), naming.foo_bar2.as_deref()),
        (Some("camel"), Some("snake"))
    );
    assert_eq!(
        naming.additional_properties2.as_deref(),
        Some("a member of that name")
    );
    assert_eq!(
        naming.additional_properties.value("unknown"),
        Some(json!("kept"))
    );
    let model: T3dModel = round_trip(json!({"vertices": 8}));
    assert_eq!(model.vertices, Some(8));
}

// ----- requests and responses -----

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k3y")
        .build()
        .expect("valid");
    (server, client)
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn record_json() -> Value {
    json!({"id": "0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11", "name": "r", "note": null})
}

#[tokio::test]
async fn query_arrays_headers_and_the_prefixed_api_key() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/records"))
        .and(header("authorization", "Token k3y"))
        .and(header("x-trace", "t-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([record_json()])))
        .mount(&server)
        .await;
    let params = ListRecordsParams {
        severity: Some(Severity::Unknown("catastrophic".into())),
        ids: Some(vec!["0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11"
            .parse()
            .expect("uuid")]),
        tag: Some(vec!["a b".into(), "c".into()]),
        since: Some("2024-05-01T12:00:00Z".parse().expect("date")),
        x_trace: Some("t-1".into()),
    };
    let records = client.list_records(&params).await.expect("listed");
    assert_eq!(records.len(), 1);
    assert_eq!(
        only_request(&server).await.url.query(),
        Some("severity=catastrophic&ids=0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11&tag=a%20b&tag=c&since=2024-05-01T12%3A00%3A00%2B00%3A00")
    );
}

fn rgb(r: i64, g: i64, b: i64) -> Rgb {
    serde_json::from_value(json!({"R": r, "G": g, "B": b})).expect("Rgb")
}

#[tokio::test]
async fn every_parameter_style_reaches_the_server_as_the_spec_writes_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .session_api_key("c00kie")
        .build()
        .expect("valid");
    let filter: Filter = serde_json::from_value(json!({
        "status": "open",
        "range": {"from": 1, "to": 5},
        "tags": ["a", "b c"]
    }))
    .expect("Filter");
    let params = SendStylesParams {
        filter: Some(filter),
        ids: Some(vec![1, 2, 3]),
        words: Some(vec!["x".into(), "y".into()]),
        rgb: Some(rgb(1, 2, 3)),
        point: Some(rgb(4, 5, 6)),
        fields: Some(Fields::Array(vec!["name".into(), "id".into()])),
        grid: Some(vec![vec![1, 2], vec![3]]),
        q: Some([("k&".to_owned(), "v=1".to_owned())].into_iter().collect()),
        x_color: Some(rgb(7, 8, 9)),
        x_tags: Some(vec!["a".into(), "b,c".into()]),
        theme: Some("dark".into()),
        prefs: Some(vec!["compact".into(), "wide".into()]),
    };
    client
        .send_styles(&["x".into(), "y z".into()], &rgb(10, 20, 30), &params)
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/styles/.x.y%20z/;R=10;G=20;B=30");
    assert_eq!(
        request.url.query(),
        Some(concat!(
            "filter[status]=open&filter[range][from]=1&filter[range][to]=5",
            "&filter[tags][]=a&filter[tags][]=b%20c",
            "&ids=1|2|3",
            "&words=x%20y",
            "&rgb=R,1,G,2,B,3",
            "&R=4&G=5&B=6",
            "&fields=name&fields=id",
            "&grid=1,2&grid=3",
            "&q=%7B%22k%26%22%3A%22v%3D1%22%7D",
        ))
    );
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("x-color").as_deref(), Some("R=7,G=8,B=9"));
    assert_eq!(header("x-tags").as_deref(), Some("a,b%2Cc"));
    assert_eq!(
        header("cookie").as_deref(),
        Some("theme=dark; prefs=compact,wide; SESSION=c00kie"),
        "cookie parameters, then the cookie API key"
    );
}

#[tokio::test]
async fn a_union_parameter_is_written_as_the_variant_it_holds() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let params = SendStylesParams {
        fields: Some(Fields::String("name,id".into())),
        ..Default::default()
    };
    client
        .send_styles(&["t".into()], &rgb(0, 0, 0), &params)
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("fields=name%2Cid"));
    assert!(
        request.headers.get("cookie").is_none(),
        "no cookie parameter, no cookie key"
    );
    assert_eq!(request.url.path(), "/styles/.t/;R=0;G=0;B=0");
}

#[tokio::test]
async fn an_empty_label_path_parameter_is_refused_before_sending() {
    let (server, client) = setup().await;
    let error = client
        .send_styles(&[], &rgb(0, 0, 0), &SendStylesParams::default())
        .await
        .expect_err("refused");
    assert!(
        matches!(error, Error::InvalidParameter { name: "tags", .. }),
        "{error:?}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn several_success_responses_say_which_came() {
    for (status, body, expected) in [
        (201, record_json(), "created"),
        (202, json!({"ref": "later"}), "accepted"),
        (204, Value::Null, "no content"),
    ] {
        let (server, client) = setup().await;
        let mut response = ResponseTemplate::new(status);
        if !body.is_null() {
            response = response.set_body_json(body);
        }
        Mock::given(method("POST"))
            .and(path("/records"))
            .respond_with(response)
            .mount(&server)
            .await;
        let record: Record = serde_json::from_value(record_json()).expect("record");
        let answer = client.create_record(&record).await.expect("created");
        let seen = match answer {
            CreateRecordResponse::Created(r) => {
                assert_eq!(r.name, "r");
                "created"
            }
            CreateRecordResponse::Accepted(r) => {
                assert_eq!(r.r#ref, "later");
                "accepted"
            }
            CreateRecordResponse::NoContent => "no content",
        };
        assert_eq!(seen, expected);
        let sent: Value = serde_json::from_slice(&only_request(&server).await.body).expect("JSON");
        assert_eq!(sent, record_json());
    }
}

#[tokio::test]
async fn a_default_error_response_keeps_its_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message": "boom"})))
        .mount(&server)
        .await;
    let error = client
        .list_records(&ListRecordsParams::default())
        .await
        .expect_err("failed");
    let Error::Status(status) = error else {
        panic!("not a status error")
    };
    assert_eq!(status.status.as_u16(), 500);
    assert_eq!(status.body_json().expect("JSON")["message"], "boom");
    let declared = status
        .declared::<conformance_client::types::Problem>()
        .expect("declared by `default`");
    assert_eq!(declared.message, "boom");
}

#[tokio::test]
async fn enum_path_parameters_use_their_wire_value() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/jobs/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"shapes": []})))
        .mount(&server)
        .await;
    let drawing = client
        .list_jobs_by_status(&JobStatus::Done)
        .await
        .expect("listed");
    assert_eq!(drawing.shapes, Some(vec![]));
}

#[tokio::test]
async fn multipart_bodies_send_text_json_and_file_parts() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_string("stored as 42"))
        .mount(&server)
        .await;
    let mut upload = Upload::new(
        "Quarterly".into(),
        FilePart::new(&b"%PDF-1.4 bytes"[..])
            .file_name("report.pdf")
            .content_type("application/pdf"),
    );
    upload.tags = Some(vec!["q1".into(), "finance".into()]);
    upload.meta = Some(serde_json::from_value(json!({"source": "scanner"})).expect("meta"));
    upload
        .additional_properties
        .insert("folder", &"inbox")
        .expect("encodes");
    let answer = client.upload_file(&upload).await.expect("uploaded");
    assert_eq!(answer, "stored as 42");

    let request = only_request(&server).await;
    let content_type = request.headers["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    let body = String::from_utf8(request.body.clone()).expect("utf-8 body");
    let part = |disposition: &str, extra: &str, content: &str| {
        format!("--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n{extra}\r\n{content}\r\n")
    };
    let expected = [
        part("name=\"title\"", "", "Quarterly"),
        part("name=\"tags\"", "", "q1"),
        part("name=\"tags\"", "", "finance"),
        part(
            "name=\"file\"; filename=\"report.pdf\"",
            "Content-Type: application/pdf\r\n",
            "%PDF-1.4 bytes",
        ),
        part(
            "name=\"meta\"",
            "Content-Type: application/json\r\n",
            "{\"source\":\"scanner\"}",
        ),
        part("name=\"folder\"", "", "inbox"),
        format!("--{boundary}--\r\n"),
    ]
    .concat();
    assert_eq!(body, expected);
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client
        .login(&Login::new("ana".into(), "p&ss w=rd".into()))
        .await
        .expect("logged in");
    let request = only_request(&server).await;
    assert_eq!(request.body, b"username=ana&password=p%26ss+w%3Drd");
    // `security: []`: a public operation gets no credentials, though the client has a key.
    assert!(!request.headers.contains_key("authorization"));
}

#[tokio::test]
async fn an_operation_refuses_credentials_of_a_scheme_it_does_not_accept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "at-1", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .build()
        .expect("valid");
    // put_blob takes the API key only: nothing is sent, not even a token request.
    let error = client
        .put_blob("a", b"bytes")
        .await
        .expect_err("refused before sending");
    match &error {
        Error::Auth { reason, status } => {
            assert!(reason.contains("`apiKey`"), "{reason}");
            assert!(reason.contains("`oauth`"), "{reason}");
            assert_eq!(*status, None);
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn octet_stream_bodies_and_responses_are_raw_bytes() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/blobs/a%2Fb"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client
        .put_blob("a/b", &[0, 159, 146, 150])
        .await
        .expect("stored");
    assert_eq!(only_request(&server).await.body, vec![0, 159, 146, 150]);

    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/blobs/x"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![1, 2, 255]))
        .mount(&server)
        .await;
    assert_eq!(
        &client
            .get_blob("x")
            .await
            .expect("fetched")
            .bytes()
            .await
            .expect("read")[..],
        &[1, 2, 255]
    );
}

#[tokio::test]
async fn text_bodies_and_optional_bodies() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_string("echo"))
        .mount(&server)
        .await;
    assert_eq!(
        client.post_note(Some("hello")).await.expect("posted"),
        "echo"
    );
    assert_eq!(client.post_note(None).await.expect("posted"), "echo");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests[0].headers["content-type"], "text/plain");
    assert_eq!(requests[0].body, b"hello");
    assert!(requests[1].body.is_empty() && !requests[1].headers.contains_key("content-type"));
}

#[tokio::test]
async fn ndjson_bodies_and_responses_are_one_value_per_line() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/bulk"))
        .and(header("content-type", "application/x-ndjson"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("{\"ref\":\"a\"}\n\n{\"ref\":\"b\",\"new\":1}\n"),
        )
        .mount(&server)
        .await;
    let records: Vec<Record> = vec![
        serde_json::from_value(record_json()).expect("record"),
        serde_json::from_value(record_json()).expect("record"),
    ];
    let results = client
        .bulk_import(&records)
        .await
        .expect("imported")
        .into_vec()
        .await
        .expect("every line decodes");
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[1].additional_properties.value("new"),
        Some(json!(1))
    );
    let line = serde_json::to_string(&record_json()).expect("line");
    assert_eq!(
        only_request(&server).await.body,
        format!("{line}\n{line}\n").into_bytes()
    );
}

#[test]
fn unknown_members_are_written_back_byte_for_byte_in_their_order() {
    // Numbers keep their spelling (1.50, an integer beyond f64's precision) and members their
    // order: unknown members are kept as the raw JSON the server sent.
    let input = r#"{"kind":"k","zeta":1.50,"alpha":123456789012345678901234567890,"nested":{"b":1,"a":[true,null]}}"#;
    let bag: OpenBag = serde_json::from_str(input).expect("decodes");
    assert_eq!(serde_json::to_string(&bag).expect("encodes"), input);
    let names: Vec<&str> = bag
        .additional_properties
        .iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["zeta", "alpha", "nested"]);
}

// ----- authentication, default headers and the path prefix -----

async fn api_behind(server: &MockServer, route: &str, authorization: &str) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("authorization", authorization))
        .and(header("kbn-xsrf", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ref": "r"})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn client_credentials_fetch_a_token_from_the_declared_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        // "id:secret"
        .and(header("authorization", "Basic aWQ6c2VjcmV0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "at-1", "expires_in": 3600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    api_behind(&server, "/api/records/r1", "Bearer at-1").await;
    let client = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .client_credentials("id", "secret")
        .build()
        .expect("valid");
    for _ in 0..2 {
        client.get_record("r1").await.expect("fetched");
    }
}

#[tokio::test]
async fn a_declared_token_exchange_trades_the_key_for_a_token() {
    let server = MockServer::start().await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        + 600;
    Mock::given(method("POST"))
        .and(path("/auth/access_token"))
        // "analyst:k3y"
        .and(header("authorization", "Basic YW5hbHlzdDprM3k="))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "jwt", "exp": exp})),
        )
        .expect(1)
        .mount(&server)
        .await;
    api_behind(&server, "/records/r2", "Bearer jwt").await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_exchange("analyst", "k3y")
        .build()
        .expect("valid");
    client.get_record("r2").await.expect("fetched");
    client
        .get_record("r2")
        .await
        .expect("fetched again with the cached token");
}

#[tokio::test]
async fn the_path_prefix_is_encoded_and_default_headers_are_sent() {
    let server = MockServer::start().await;
    api_behind(&server, "/api/s/blue%20team/records/r3", "Token k3y").await;
    let client = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .api_key("k3y")
        .space("blue team")
        .build()
        .expect("valid");
    client
        .get_record("r3")
        .await
        .expect("fetched under the space");
}

// ----- next-link and cursor pagination -----

fn refs(n: std::ops::Range<u32>) -> Vec<Value> {
    n.map(|i| json!({"ref": format!("r{i}")})).collect()
}

#[tokio::test]
async fn next_links_are_followed_as_given() {
    use clientgen_runtime::futures::StreamExt;
    let server = MockServer::start().await;
    let base = server.uri();
    let pages = [
        (
            None,
            refs(0..2),
            Some(format!("{base}/drf/items?page=2&page_size=2")),
        ),
        (
            Some("2"),
            refs(2..4),
            Some(format!("{base}/drf/items?page=3&page_size=2")),
        ),
        (Some("3"), refs(4..5), None),
    ];
    for (page, results, next) in pages {
        let mut mock = Mock::given(method("GET")).and(path("/drf/items"));
        mock = match page {
            Some(page) => mock.and(wiremock::matchers::query_param("page", page)),
            None => mock.and(wiremock::matchers::query_param_is_missing("page")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"count": 5, "next": next, "previous": null, "results": results}),
        ))
        .mount(&server)
        .await;
    }
    let client = Client::builder()
        .base_url(base)
        .api_key("k3y")
        .build()
        .expect("valid");
    let params = conformance_client::operations::ListDrfItemsParams { page_size: Some(2) };
    let items: Vec<_> = client.list_drf_items_stream(&params, None).collect().await;
    let names: Vec<String> = items.into_iter().map(|r| r.expect("item").r#ref).collect();
    assert_eq!(names, ["r0", "r1", "r2", "r3", "r4"]);
    let requests = server.received_requests().await.expect("recording");
    let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [
            Some("page_size=2"),
            Some("page=2&page_size=2"),
            Some("page=3&page_size=2")
        ]
    );
    assert!(requests
        .iter()
        .all(|r| r.headers["authorization"] == "Token k3y"));
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_not_followed() {
    use clientgen_runtime::futures::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/drf/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 4, "next": "https://elsewhere.example/drf/items?page=2", "results": refs(0..2)
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k3y")
        .build()
        .expect("valid");
    let params = conformance_client::operations::ListDrfItemsParams::default();
    let items: Vec<_> = client.list_drf_items_stream(&params, None).collect().await;
    assert_eq!(items.len(), 3);
    let Err(Error::Pagination { reason, .. }) = &items[2] else {
        panic!("not a pagination error: {:?}", items[2]);
    };
    assert!(reason.contains("another origin"), "{reason}");
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

#[tokio::test]
async fn cursors_are_sent_back_until_there_is_none() {
    use clientgen_runtime::futures::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .and(wiremock::matchers::query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": refs(0..2), "next_cursor": "c2"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .and(wiremock::matchers::query_param("cursor", "c2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": refs(2..3), "next_cursor": null})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k3y")
        .build()
        .expect("valid");
    let params = conformance_client::operations::ReadFeedParams {
        limit: Some(2),
        ..Default::default()
    };
    let items: Vec<_> = client.read_feed_stream(&params, None).collect().await;
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(Result::is_ok));
    let requests = server.received_requests().await.expect("recording");
    let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(queries, [Some("limit=2"), Some("cursor=c2&limit=2")]);
}

#[tokio::test]
async fn skip_pages_read_items_and_total_from_nested_members() {
    use clientgen_runtime::futures::StreamExt;
    let server = MockServer::start().await;
    for (skip, range) in [(0, 0..2), (2, 2..4), (4, 4..5)] {
        Mock::given(method("GET"))
            .and(path("/cases"))
            .and(wiremock::matchers::query_param(
                "skip",
                skip.to_string().as_str(),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"data": {"cases": refs(range), "total": 5}})),
            )
            .mount(&server)
            .await;
    }
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k3y")
        .build()
        .expect("valid");
    let params = conformance_client::operations::ListCasesBySkipParams {
        limit: Some(2),
        ..Default::default()
    };
    let items: Vec<_> = client
        .list_cases_by_skip_stream(&params, None)
        .collect()
        .await;
    let names: Vec<String> = items.into_iter().map(|r| r.expect("case").r#ref).collect();
    assert_eq!(names, ["r0", "r1", "r2", "r3", "r4"]);
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        3
    );
}

#[tokio::test]
async fn page_numbers_start_at_one_and_stop_at_the_total() {
    use clientgen_runtime::futures::StreamExt;
    let server = MockServer::start().await;
    for (page, range) in [(1, 0..3), (2, 3..6), (3, 6..7)] {
        Mock::given(method("GET"))
            .and(path("/rules/_find"))
            .and(wiremock::matchers::query_param(
                "page",
                page.to_string().as_str(),
            ))
            .and(wiremock::matchers::query_param("per_page", "3"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"page": page, "per_page": 3, "total": 7, "data": refs(range)}),
            ))
            .mount(&server)
            .await;
    }
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k3y")
        .build()
        .expect("valid");
    let params = conformance_client::operations::FindRulesParams {
        per_page: Some(3),
        ..Default::default()
    };
    let items: Vec<_> = client.find_rules_stream(&params, None).collect().await;
    assert_eq!(items.len(), 7);
    assert!(items.iter().all(Result::is_ok));
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        3
    );
}

#[tokio::test]
async fn a_next_link_that_repeats_is_detected() {
    use clientgen_runtime::futures::StreamExt;
    let server = MockServer::start().await;
    let again = format!("{}/drf/items?page=2", server.uri());
    Mock::given(method("GET"))
        .and(path("/drf/items"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"count": 99, "next": again, "results": refs(0..2)})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k3y")
        .build()
        .expect("valid");
    let params = conformance_client::operations::ListDrfItemsParams::default();
    let items: Vec<_> = client.list_drf_items_stream(&params, None).collect().await;
    // The first page, then the error: the linked page repeats it and is not yielded again.
    assert_eq!(items.len(), 3);
    assert!(
        matches!(&items[2], Err(Error::Pagination { reason, .. }) if reason.contains("repeats")),
        "{:?}",
        items[2]
    );
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        2
    );
}

//! What the generated client adds per call: `sekoia_client::Client::get_rule` against a plain
//! `reqwest` call that sends the same request (bearer header, same path) and decodes the same
//! type, both to one wiremock server on 127.0.0.1 in the same run.
//! Run: `cargo bench -p integration-tests --bench overhead`.

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const RULE: &str = "0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11";

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        let rule = json!({
            "uuid": RULE, "name": "PowerShell encoded command", "type": "sigma",
            "description": "Detects encoded PowerShell", "severity": 40, "effort": 2, "enabled": true,
            "tags": [{"uuid": "1a2b3c4d-0000-4000-8000-000000000001", "name": "windows"}]
        });
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(rule))
            .mount(&server)
            .await;
        server
    });
    let base = format!("{}/v1", server.uri());
    let generated = sekoia_client::Client::builder()
        .base_url(base.clone())
        .bearer_token("bench-key")
        .build()
        .expect("client");
    let plain = reqwest::Client::new();
    let url = format!("{base}/sic/conf/rules-catalog/rules/{RULE}");

    let mut group = c.benchmark_group("GET one Sekoia rule over loopback");
    group.bench_function("plain reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = plain
                    .get(&url)
                    .bearer_auth("bench-key")
                    .send()
                    .await
                    .expect("sent");
                assert!(response.status().is_success());
                let body = response.bytes().await.expect("body");
                serde_json::from_slice::<sekoia_client::types::Rule>(&body).expect("decodes")
            })
        })
    });
    group.bench_function("generated client", |b| {
        b.iter(|| runtime.block_on(generated.get_rule(RULE)).expect("fetched"))
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);

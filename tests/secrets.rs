//! No secret ever shows: not in `Debug` output of any type that holds one, not in error
//! messages, not in the `tracing` output of requests made with each kind of credential.

use std::io::Write;
use std::sync::{Arc, Mutex};

use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{Auth, SecretString, TokenExchange, Transport};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "S3CRET-never-shown";
const TOKEN: &str = "T0KEN-never-shown";

/// Collects everything `tracing` writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn secret() -> SecretString {
    SecretString::from(SECRET.to_owned())
}

fn assert_hidden(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
    assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": TOKEN, "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "no"})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn secrets_never_appear_in_debug_errors_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server().await;
    let auths = [
        Auth::bearer(secret()),
        Auth::basic("user", secret()),
        Auth::api_key_header("Authorization", Some("Token"), secret()).expect("valid"),
        Auth::api_key_query("api_key", secret()),
    ];
    let mut shown = Vec::new();
    for auth in auths {
        shown.push(format!("{auth:?}"));
        let builder = Transport::builder(server.uri()).auth(auth);
        shown.push(format!("{builder:?}"));
        let transport = builder.build().expect("valid");
        shown.push(format!("{transport:?}"));
        let response = transport
            .request(Method::GET, "get", "/x")
            .send()
            .await
            .expect("answered");
        let error = response.into_error();
        shown.push(format!("{error} {error:?}"));
    }

    // A token source, its builder and transport, and an auth error from it.
    let exchange = TokenExchange::client_credentials("/oauth2/token", "client", secret(), &[]);
    shown.push(format!("{exchange:?}"));
    let builder = Transport::builder(server.uri()).token_exchange(exchange);
    shown.push(format!("{builder:?}"));
    let transport = builder.build().expect("valid");
    transport
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect("answered");
    shown.push(format!("{transport:?}"));
    let refused = Transport::builder("http://127.0.0.1:9")
        .token_exchange(TokenExchange::client_credentials(
            "/t",
            "client",
            secret(),
            &[],
        ))
        .retry(clientgen_runtime::RetryPolicy::none())
        .build()
        .expect("valid");
    let error = refused
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect_err("no server");
    shown.push(format!("{error} {error:?}"));

    // The generated clients' builders and clients.
    let client_builder = sekoia_client::Client::builder()
        .bearer_token(SECRET)
        .base_url(server.uri());
    shown.push(format!("{client_builder:?}"));
    let client = client_builder.build().expect("valid");
    shown.push(format!("{client:?}"));
    let error = client.validate_api_key().await.expect_err("403");
    shown.push(format!("{error} {error:?}"));
    let conformance = conformance_client::Client::builder()
        .base_url(server.uri())
        .api_key_exchange("user", SECRET);
    shown.push(format!("{conformance:?}"));

    // Every vendor client with each of its ways to authenticate.
    let onion = security_onion_client::Client::builder()
        .base_url(server.uri())
        .client_credentials("socl_client", SECRET);
    shown.push(format!("{onion:?}"));
    let onion = onion.build().expect("valid");
    shown.push(format!("{onion:?}"));
    let error = onion
        .get_info(&Default::default())
        .await
        .expect_err("403 after the token");
    shown.push(format!("{error} {error:?}"));
    shown.push(format!(
        "{:?}",
        security_onion_client::Client::builder().basic_auth("socl_client", SECRET)
    ));
    let stamus = stamus_client::Client::builder()
        .base_url(server.uri())
        .api_key(SECRET);
    shown.push(format!("{stamus:?}"));
    shown.push(format!("{:?}", stamus.build().expect("valid")));
    let stellar = stellar_cyber_client::Client::builder()
        .base_url(server.uri())
        .api_key_exchange("soc@example.com", SECRET);
    shown.push(format!("{stellar:?}"));
    shown.push(format!("{:?}", stellar.build().expect("valid")));
    shown.push(format!(
        "{:?} {:?}",
        stellar_cyber_client::Client::builder().scoped_api_key_exchange(SECRET),
        stellar_cyber_client::Client::builder().bearer_token(SECRET)
    ));
    let kibana = elastic_security_client::Client::builder()
        .base_url(server.uri())
        .api_key(SECRET);
    shown.push(format!("{kibana:?}"));
    shown.push(format!("{:?}", kibana.build().expect("valid")));
    let kibana = elastic_security_client::Client::builder()
        .base_url(server.uri())
        .basic_auth("elastic", SECRET);
    shown.push(format!("{kibana:?}"));
    shown.push(format!("{:?}", kibana.build().expect("valid")));

    for (i, text) in shown.iter().enumerate() {
        assert_hidden(&format!("item {i}"), text);
    }
    let traces = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        traces.contains("http_request"),
        "requests were traced: {traces}"
    );
    assert_hidden("tracing output", &traces);
}

#[test]
fn errors_are_send_sync_and_std_errors() {
    fn check<E: std::error::Error + Send + Sync + 'static>() {}
    check::<clientgen_runtime::Error>();
    check::<sekoia_client::Error>();
}

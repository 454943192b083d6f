//! An HTTPS server that redirects to plain HTTP: following would send the credentials in
//! clear, so the client refuses, and the plain-HTTP side never hears from it.

use stamus_client::Error;

use crate::hostile::clients::{stamus_rule, STAMUS_KEY};
use crate::hostile::server::{HostileServer, Reply, TestCa};

fn client(server: &HostileServer, ca: &TestCa) -> stamus_client::Client {
    stamus_client::Client::builder()
        .base_url(server.origin())
        .api_key(STAMUS_KEY)
        .add_root_certificate_pem(ca.pem.clone())
        .retry(clientgen_runtime::RetryPolicy::none())
        .build()
        .expect("valid configuration")
}

#[tokio::test]
async fn an_https_redirect_to_http_on_another_port_is_refused() {
    let ca = TestCa::new();
    let plain = HostileServer::always(Reply::json(200, &stamus_rule())).await;
    let target = plain.url("/rest/rules/rule/1/");
    let secure =
        HostileServer::start_tls(ca.acceptor.clone(), move |_| Reply::redirect(302, &target)).await;
    let error = client(&secure, &ca)
        .get_rule(1)
        .await
        .expect_err("a downgrade");
    assert!(
        matches!(&error, Error::Redirect { location, .. } if location.starts_with("http://127.0.0.1:")),
        "{error:?}"
    );
    assert_eq!(secure.requests().len(), 1, "the TLS side answered");
    assert_eq!(plain.bytes_received(), 0, "{:?}", plain.requests());
}

#[tokio::test]
async fn an_https_redirect_to_http_on_the_same_port_is_refused() {
    let ca = TestCa::new();
    let secure = HostileServer::start_tls(ca.acceptor.clone(), |request| {
        let port = request
            .header("host")
            .and_then(|h| h.rsplit_once(':'))
            .map(|(_, p)| p.to_owned())
            .expect("Host with a port");
        Reply::redirect(308, &format!("http://127.0.0.1:{port}/rest/rules/rule/1/"))
    })
    .await;
    let error = client(&secure, &ca)
        .get_rule(1)
        .await
        .expect_err("a downgrade");
    assert!(matches!(&error, Error::Redirect { .. }), "{error:?}");
    assert_eq!(secure.requests().len(), 1);
    // A plain-HTTP attempt would have been one more connection, refused by the TLS listener.
    assert_eq!(
        secure.connections(),
        1,
        "a plaintext connection was attempted"
    );
}

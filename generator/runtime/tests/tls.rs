//! TLS against a local HTTPS server on 127.0.0.1 whose certificate a throwaway CA signed:
//! refused by default, accepted once that CA is trusted, accepted by the dangerous mode.

use std::sync::Arc;

use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{Error, RetryPolicy, Transport};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A CA (its PEM) and a server certificate for 127.0.0.1 signed by it.
fn certificates() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::from_params(&ca_params, &ca_key);
    let server_key = KeyPair::generate().expect("server key");
    let server_params =
        CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("server params");
    let server_cert = server_params
        .signed_by(&server_key, &issuer)
        .expect("server certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    (ca_cert.pem(), server_cert.der().clone(), key)
}

/// Serves `200 ok` over TLS to every connection; returns the base URL and the CA's PEM.
async fn https_server() -> (String, String) {
    let (ca_pem, cert, key) = certificates();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake is the point of some tests: ignore it.
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
                let _ = tls.write_all(answer).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://{address}"), ca_pem)
}

async fn call(transport: Transport) -> Result<String, Error> {
    let response = transport
        .request(Method::GET, "ping", "/ping")
        .send()
        .await?;
    Ok(response.text())
}

#[tokio::test]
async fn an_unknown_ca_is_refused_by_default() {
    let (url, _) = https_server().await;
    let transport = Transport::builder(url)
        .retry(RetryPolicy::none())
        .build()
        .expect("valid");
    let error = call(transport).await.expect_err("refused");
    assert!(matches!(error, Error::Transport { .. }), "{error}");
}

#[tokio::test]
async fn a_trusted_ca_is_accepted() {
    let (url, ca_pem) = https_server().await;
    let transport = Transport::builder(url)
        .add_root_certificate_pem(ca_pem)
        .build()
        .expect("valid");
    assert_eq!(call(transport).await.expect("accepted"), "ok");
}

#[tokio::test]
async fn the_dangerous_mode_accepts_any_certificate() {
    let (url, _) = https_server().await;
    let transport = Transport::builder(url)
        .danger_accept_invalid_certs()
        .build()
        .expect("valid");
    assert_eq!(call(transport).await.expect("accepted"), "ok");
}

#[test]
fn a_pem_without_a_certificate_is_an_error_at_build() {
    let error = Transport::builder("https://127.0.0.1:1")
        .add_root_certificate_pem("not a certificate")
        .build()
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidCertificate(_)), "{error}");
}

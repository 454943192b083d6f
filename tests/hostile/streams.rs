//! Streaming bodies: NDJSON exports come item by item and binary downloads chunk by chunk, so
//! an endless body costs what the caller reads, and dropping the stream ends the download.
//! Only what is held whole is bounded by the client's limit: one NDJSON line, a body
//! collected with `ByteStream::bytes`, an error body.

use std::time::Duration;

use clientgen_runtime::futures::StreamExt;
use clientgen_runtime::{ByteStream, Bytes, NdjsonStream};
use elastic_security_client::operations::ExportRulesParams;
use elastic_security_client::types::RulesExportLine;
use security_onion_client::operations::{DownloadCaseArtifactParams, DownloadJobPcapParams};
use serde_json::json;

use crate::hostile::clients::{
    elastic, security_onion, so_token, with_token, within, SO_TOKEN_PATH,
};
use crate::hostile::server::{HostileServer, Reply};

const RULE_LINE: &str = concat!(
    r#"{"id":"6d3f2a10-0b1e-11ef-9a6b-0f5c2f3a1e11","rule_id":"endless-rule","name":"Endless","#,
    r#""type":"query","query":"process.name:*","language":"kuery","risk_score":21,"#,
    r#""severity":"low","enabled":true,"description":"again and again"}"#,
    "\n"
);

/// What the server wrote beyond what was read can be no more than socket buffers and a
/// chunk or two in flight.
const READ_AHEAD: u64 = 16 * 1024 * 1024;

/// An Elastic client for `server`, with `limit` as its body limit when given.
fn export(server: &HostileServer, limit: Option<usize>) -> elastic_security_client::Client {
    let mut builder = elastic(server);
    if let Some(limit) = limit {
        builder = builder.max_response_bytes(limit);
    }
    builder.build().expect("valid configuration")
}

#[tokio::test]
async fn an_endless_ndjson_export_is_read_item_by_item_and_dropping_it_ends_the_download() {
    let server =
        HostileServer::always(Reply::endless(200, "application/x-ndjson", RULE_LINE)).await;
    let client = export(&server, None);
    let mut stream: NdjsonStream<RulesExportLine> = within(
        Duration::from_secs(5),
        "export_rules",
        client.export_rules(&ExportRulesParams::default(), None),
    )
    .await
    .expect("the export starts");
    for n in 0..10_000 {
        let item = within(Duration::from_secs(5), "next line", stream.next()).await;
        match item {
            Some(Ok(_)) => {}
            other => panic!("item {n}: {other:?}"),
        }
    }
    drop(stream);
    assert!(
        server.all_closed_within(Duration::from_secs(2)).await,
        "the download went on after the stream was dropped"
    );
    let read = 10_000 * RULE_LINE.len() as u64;
    let sent = server.bytes_sent();
    assert!(
        sent < read + READ_AHEAD,
        "{sent} bytes sent for {read} bytes of lines read"
    );
}

#[tokio::test]
async fn ndjson_lines_split_across_chunks_are_reassembled() {
    let chunks: [&[u8]; 5] = [
        b"{\"exported_count\":",
        b"1,\"missing_rules\":[]}\n{\"rule_",
        b"id\":\"a\",\"name\":\"\xc3",
        b"\xa9\"}\n\n",
        b"{\"rule_id\":\"last line without newline\"}",
    ];
    let mut raw =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    for chunk in chunks {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let server = HostileServer::always(Reply::Raw(raw)).await;
    let client = export(&server, None);
    let stream = client
        .export_rules(&ExportRulesParams::default(), None)
        .await
        .expect("the export starts");
    let lines: Vec<RulesExportLine> = within(
        Duration::from_secs(5),
        "collect",
        stream.collect::<Vec<_>>(),
    )
    .await
    .into_iter()
    .collect::<Result<_, _>>()
    .expect("every line decodes");
    let values: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| serde_json::to_value(line).expect("encodes"))
        .collect();
    assert_eq!(values.len(), 3, "{values:?}");
    assert_eq!(values[0]["exported_count"], json!(1));
    assert_eq!(values[1]["name"], json!("é"));
    assert_eq!(values[2]["rule_id"], json!("last line without newline"));
}

#[tokio::test]
async fn an_ndjson_line_longer_than_the_limit_is_response_too_large() {
    let limit = 64 * 1024;
    let server = HostileServer::always(Reply::Endless {
        status: 200,
        headers: vec![("Content-Type".into(), "application/x-ndjson".into())],
        prefix: RULE_LINE.as_bytes().to_vec(),
        // A line that never ends.
        piece: b"{\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".to_vec(),
        cap: crate::hostile::server::ENDLESS_CAP,
    })
    .await;
    let client = export(&server, Some(limit));
    let mut stream = client
        .export_rules(&ExportRulesParams::default(), None)
        .await
        .expect("the export starts");
    let first = within(Duration::from_secs(5), "first line", stream.next()).await;
    assert!(matches!(first, Some(Ok(_))), "{first:?}");
    let second = within(Duration::from_secs(10), "second line", stream.next()).await;
    assert!(
        matches!(
            second,
            Some(Err(elastic_security_client::Error::ResponseTooLarge { limit: l, .. })) if l == limit
        ),
        "{second:?}"
    );
    drop(stream);
    let sent = server.bytes_sent();
    assert!(
        sent < READ_AHEAD,
        "{sent} bytes read for a {limit}-byte line limit"
    );
}

#[tokio::test]
async fn a_malformed_ndjson_line_is_a_decode_error_not_a_panic() {
    let body = format!("{RULE_LINE}{{\"rule_id\": \"cut\", \n{RULE_LINE}");
    let server = HostileServer::always(Reply::body(200, "application/x-ndjson", body)).await;
    let client = export(&server, None);
    let mut stream = client
        .export_rules(&ExportRulesParams::default(), None)
        .await
        .expect("the export starts");
    assert!(matches!(stream.next().await, Some(Ok(_))));
    let second = stream.next().await;
    assert!(
        matches!(
            second,
            Some(Err(elastic_security_client::Error::Decode { .. }))
        ),
        "{second:?}"
    );
}

#[tokio::test]
async fn an_endless_error_body_of_a_streaming_operation_stops_at_the_limit() {
    let limit = 64 * 1024;
    let server = HostileServer::always(Reply::endless(500, "text/html", "<p>oops</p>")).await;
    let client = export(&server, Some(limit));
    let result = within(
        Duration::from_secs(10),
        "export_rules",
        client.export_rules(&ExportRulesParams::default(), None),
    )
    .await;
    assert!(
        matches!(
            result,
            Err(elastic_security_client::Error::ResponseTooLarge { declared: None, .. })
        ),
        "{:?}",
        result.map(|_| "a stream")
    );
    assert!(server.bytes_sent() < READ_AHEAD);
}

/// A Security Onion server whose API answers `download` to every `/connect/` request.
async fn so_server(download: Reply) -> HostileServer {
    HostileServer::start(with_token(
        SO_TOKEN_PATH,
        so_token(json!(3600)),
        move |_| download.clone(),
    ))
    .await
}

fn so_client(server: &HostileServer, limit: usize) -> security_onion_client::Client {
    security_onion(server)
        .max_response_bytes(limit)
        .build()
        .expect("valid configuration")
}

#[tokio::test]
async fn an_endless_pcap_download_streams_past_the_limit_and_dropping_it_ends_the_download() {
    let limit = 1024 * 1024;
    let server = so_server(Reply::endless(
        200,
        "application/vnd.tcpdump.pcap",
        vec![0xd4u8, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00],
    ))
    .await;
    let client = so_client(&server, limit);
    let mut stream: ByteStream = within(
        Duration::from_secs(5),
        "download_job_pcap",
        client.download_job_pcap(7, &DownloadJobPcapParams::new(false)),
    )
    .await
    .expect("the download starts");
    let mut read = 0usize;
    while read < 8 * limit {
        let chunk: Bytes = within(Duration::from_secs(5), "next chunk", stream.next())
            .await
            .expect("endless")
            .expect("a chunk");
        read += chunk.len();
    }
    drop(stream);
    assert!(
        server.all_closed_within(Duration::from_secs(2)).await,
        "the download went on after the stream was dropped"
    );
    assert!(server.bytes_sent() < read as u64 + READ_AHEAD);
}

#[tokio::test]
async fn collecting_a_download_is_bounded_by_the_limit() {
    let limit = 1024 * 1024;
    // Endless: stopped while reading.
    let server = so_server(Reply::endless(200, "application/octet-stream", "artifact")).await;
    let client = so_client(&server, limit);
    let stream = client
        .download_case_artifact("a1", &DownloadCaseArtifactParams::default())
        .await
        .expect("the download starts");
    let result = within(Duration::from_secs(10), "bytes", stream.bytes()).await;
    assert!(
        matches!(
            result,
            Err(security_onion_client::Error::ResponseTooLarge { limit: l, declared: None, .. }) if l == limit
        ),
        "{result:?}"
    );
    assert!(server.bytes_sent() < limit as u64 + READ_AHEAD);

    // Announced above the limit: refused before reading (at the call, or when collecting).
    let server = so_server(Reply::slow(
        200,
        vec![0u8; limit + 1],
        0,
        Duration::from_secs(2),
    ))
    .await;
    let client = so_client(&server, limit);
    let collected = within(Duration::from_secs(1), "announced too large", async {
        client
            .download_case_artifact("a1", &DownloadCaseArtifactParams::default())
            .await?
            .bytes()
            .await
    })
    .await;
    assert!(
        matches!(
            collected,
            Err(security_onion_client::Error::ResponseTooLarge { declared: Some(n), .. }) if n == limit as u64 + 1
        ),
        "{collected:?}"
    );

    // At the limit: every byte, as sent.
    let exact: Vec<u8> = (0..limit).map(|i| (i % 251) as u8).collect();
    let server = so_server(Reply::body(200, "application/octet-stream", exact.clone())).await;
    let client = so_client(&server, limit);
    let bytes = client
        .download_case_artifact("a1", &DownloadCaseArtifactParams::default())
        .await
        .expect("the download starts")
        .bytes()
        .await
        .expect("a body of exactly the limit");
    assert_eq!(bytes.as_ref(), exact.as_slice());
}

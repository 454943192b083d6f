//! Decode throughput of generated types on a large array of realistic Sekoia alerts.
//!
//! Three decoders read the same bytes: the generated types with unknown-member capture (what
//! clients use), the same types generated without capture (unknown members skipped), and
//! `serde_json::Value`. Criterion reports each as MB/s; the ratio capture / no-capture is the
//! cost of forward compatibility. Run: `cargo bench -p integration-tests --bench decode`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};

#[allow(dead_code, deprecated, clippy::all)]
mod without_capture {
    include!(concat!(env!("OUT_DIR"), "/sekoia_types_without_capture.rs"));
}

/// `count` alerts shaped like the API's, each with members the spec does not list.
fn alerts(count: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..count)
        .map(|i| {
            json!({
                "uuid": format!("5b1d7f2e-8a3c-4e6f-9d0b-{:012x}", i),
                "short_id": format!("AL{i:06}"),
                "title": format!("Suspicious PowerShell execution on host-{}", i % 97),
                "details": "Encoded command line spawned by an Office process",
                "status": {"uuid": "2efc4930-1442-4abb-acf2-58ba219a4fd0", "name": "Ongoing", "description": "The alert is being handled"},
                "urgency": {"value": 40 + (i % 60), "current_value": 40, "severity": 50, "criticity": 40, "display": "Medium"},
                "alert_type": {"category": "malicious-code", "value": "trojan"},
                "rule": {"uuid": "0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11", "name": "PowerShell encoded command", "type": "sigma", "severity": 40, "pattern": "process.command_line|contains: '-enc'", "description": "Detects encoded PowerShell"},
                "entity": {"uuid": "1a2b3c4d-0000-4000-8000-000000000001", "name": "Main entity"},
                "community_uuid": "88dcb0c6-4efe-4256-95f1-40d2c4fefefd",
                "source": format!("10.0.{}.{}", i % 255, (i * 7) % 255),
                "target": "10.0.0.1",
                "event_uuids": [format!("e-{i}-1"), format!("e-{i}-2")],
                "similar": i % 13,
                "kill_chain_short_id": "KCXKNfnJuUUU",
                "ttps": [{"id": "T1059.001", "name": "PowerShell", "type": "attack-pattern", "description": "Adversaries may abuse PowerShell"}],
                "is_incident": false,
                "number_of_unseen_comments": 0,
                "number_of_total_comments": i % 4,
                "created_by": "detection", "created_by_type": "application",
                "updated_by": "analyst", "updated_by_type": "avatar",
                "created_at": 1714560000 + i as i64, "updated_at": 1714563600 + i as i64,
                "first_seen_at": "2024-05-01T10:00:00Z", "last_seen_at": "2024-05-01T11:00:00Z",
                // Members a newer server sends that this spec does not describe.
                "triage_score": 0.87,
                "enrichment": {"geo": {"country": "FR", "asn": 16276}, "tags": ["lateral-movement", "powershell"]},
                "assignee_hint": null,
                "sla_breached": false
            })
        })
        .collect();
    serde_json::to_vec(&json!({"total": count, "has_more": false, "items": items})).expect("JSON")
}

fn decode(c: &mut Criterion) {
    let body = alerts(10_000);
    let mut group = c.benchmark_group("decode 10k Sekoia alerts");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(20);
    group.bench_function("generated, capturing unknown members", |b| {
        b.iter(|| {
            serde_json::from_slice::<sekoia_client::types::AlertList>(&body).expect("decodes")
        })
    });
    group.bench_function("generated, skipping unknown members", |b| {
        b.iter(|| serde_json::from_slice::<without_capture::AlertList>(&body).expect("decodes"))
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(&body).expect("decodes"))
    });
    // The same decoders with the decoded values dropped outside the timing: what decoding
    // costs apart from freeing the result.
    group.bench_function(
        "generated, capturing unknown members (drop not timed)",
        |b| {
            b.iter_with_large_drop(|| {
                serde_json::from_slice::<sekoia_client::types::AlertList>(&body).expect("decodes")
            })
        },
    );
    group.bench_function(
        "generated, skipping unknown members (drop not timed)",
        |b| {
            b.iter_with_large_drop(|| {
                serde_json::from_slice::<without_capture::AlertList>(&body).expect("decodes")
            })
        },
    );
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);

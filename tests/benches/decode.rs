//! Decode throughput of generated types on a large array of realistic Sekoia alerts.
//!
//! Four decoders read the same bytes: the generated types with unknown-member capture (what
//! clients use), the same types generated without capture (unknown members skipped), a
//! hand-written `#[derive(Deserialize)]` struct set with the same members (the baseline a
//! careful author would write: plain serde, unknown members skipped), and `serde_json::Value`.
//! Criterion reports each as MB/s; the ratio capture / no-capture is the cost of forward
//! compatibility, and generated / hand-written the cost of generating the types.
//! Run: `cargo bench -p integration-tests --bench decode` (`cargo xtask bench` runs it too and
//! reports the ratios).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};

#[allow(dead_code, deprecated, clippy::all)]
mod without_capture {
    include!(concat!(env!("OUT_DIR"), "/sekoia_types_without_capture.rs"));
}

/// What a careful author writes by hand for the same Sekoia alert list: the members of the
/// spec's schemas with the same Rust types, plain `#[derive(Deserialize)]`, unknown members
/// skipped, `null` and absent both read as `None`.
#[allow(dead_code)]
mod hand_written {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    pub struct AlertList {
        pub total: i64,
        pub has_more: Option<bool>,
        pub items: Vec<Alert>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Alert {
        pub uuid: uuid::Uuid,
        pub short_id: Option<String>,
        pub title: Option<String>,
        pub details: Option<String>,
        pub status: Option<AlertStatus>,
        pub urgency: Option<AlertUrgency>,
        pub alert_type: Option<AlertType>,
        pub rule: Option<AlertRule>,
        pub entity: Option<AlertEntity>,
        pub community_uuid: Option<uuid::Uuid>,
        pub source: Option<String>,
        pub target: Option<String>,
        pub assets: Option<Vec<uuid::Uuid>>,
        pub event_uuids: Option<Vec<String>>,
        pub similar: Option<i64>,
        pub kill_chain_short_id: Option<String>,
        pub ttps: Option<Vec<Ttp>>,
        pub adversaries: Option<Vec<Ttp>>,
        pub stix: Option<serde_json::Map<String, serde_json::Value>>,
        pub is_incident: Option<bool>,
        pub number_of_unseen_comments: Option<i64>,
        pub number_of_total_comments: Option<i64>,
        pub created_by: Option<String>,
        pub created_by_type: Option<String>,
        pub updated_by: Option<String>,
        pub updated_by_type: Option<String>,
        pub created_at: Option<i64>,
        pub updated_at: Option<i64>,
        pub first_seen_at: Option<chrono::DateTime<chrono::Utc>>,
        pub last_seen_at: Option<chrono::DateTime<chrono::Utc>>,
        pub detection_type: Option<String>,
        pub time_to_detect: Option<i64>,
        pub time_to_acknowledge: Option<i64>,
        pub time_to_respond: Option<i64>,
        pub time_to_resolve: Option<i64>,
        pub time_to_ingest: Option<i64>,
        pub intake_uuids: Option<Vec<uuid::Uuid>>,
        pub custom_status_uuid: Option<uuid::Uuid>,
        pub verdict_uuid: Option<uuid::Uuid>,
        pub history: Option<Vec<HistoryEntry>>,
        pub comments: Option<Vec<Comment>>,
        pub countermeasures: Option<Vec<Countermeasure>>,
        pub cases: Option<Vec<CaseRef>>,
    }

    #[derive(Debug, Deserialize)]
    pub struct AlertStatus {
        pub uuid: Option<String>,
        pub name: Option<String>,
        pub description: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct AlertUrgency {
        pub value: Option<i64>,
        pub current_value: Option<i64>,
        pub severity: Option<i64>,
        pub criticity: Option<i64>,
        pub display: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct AlertType {
        pub category: Option<String>,
        pub value: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct AlertRule {
        pub uuid: Option<uuid::Uuid>,
        pub name: Option<String>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub severity: Option<i64>,
        pub pattern: Option<String>,
        pub description: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct AlertEntity {
        pub uuid: Option<uuid::Uuid>,
        pub name: Option<String>,
    }

    /// Both `ttps` and `adversaries` items: id, name, type, description.
    #[derive(Debug, Deserialize)]
    pub struct Ttp {
        pub id: Option<String>,
        pub name: Option<String>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub description: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct HistoryEntry {
        pub uuid: Option<String>,
        pub entry_type: Option<String>,
        pub created_at: Option<i64>,
        pub created_by: Option<String>,
        pub created_by_type: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Comment {
        pub uuid: uuid::Uuid,
        pub content: String,
        pub author: Option<String>,
        pub date: Option<i64>,
        pub created_by: Option<String>,
        pub created_by_type: Option<String>,
        pub unseen: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Countermeasure {
        pub uuid: Option<String>,
        pub name: Option<String>,
        pub description: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct CaseRef {
        pub short_id: Option<String>,
        pub name: Option<String>,
        pub is_supplied: Option<bool>,
        pub manual: Option<bool>,
        pub status: Option<String>,
    }
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
    group.bench_function("hand-written serde structs", |b| {
        b.iter(|| serde_json::from_slice::<hand_written::AlertList>(&body).expect("decodes"))
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
    group.bench_function("hand-written serde structs (drop not timed)", |b| {
        b.iter_with_large_drop(|| {
            serde_json::from_slice::<hand_written::AlertList>(&body).expect("decodes")
        })
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);

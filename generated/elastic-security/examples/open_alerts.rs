// Copied by `cargo xtask regen` from `specs/elastic-security/examples/open_alerts.rs`; edit it there, not here.
//! Summarises the detection work waiting in one Kibana space: enabled rules, open alerts by
//! rule, and open cases.
//!
//! Environment:
//! - `ELASTIC_SECURITY_BASE_URL`: the Kibana origin (default `http://localhost:5601`);
//! - `ELASTIC_SECURITY_SPACE`: a space identifier (optional; the default space otherwise);
//! - `ELASTIC_SECURITY_API_KEY` (the encoded API key), or `ELASTIC_SECURITY_USER` and
//!   `ELASTIC_SECURITY_PASSWORD`.
//!
//! Everything it calls only reads.

use clientgen_runtime::futures::StreamExt;
use elastic_security_client::operations::{FindCasesParams, FindRulesParams};
use elastic_security_client::types::{AlertsSearchRequest, CaseOwner, CaseStatus, SortOrder};
use elastic_security_client::Client;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = env("ELASTIC_SECURITY_BASE_URL")
        .unwrap_or_else(|| elastic_security_client::DEFAULT_BASE_URL.to_owned());
    let mut builder = Client::builder().base_url(base_url);
    if let Some(space) = env("ELASTIC_SECURITY_SPACE") {
        builder = builder.space_id(&space);
    }
    builder = match (
        env("ELASTIC_SECURITY_API_KEY"),
        env("ELASTIC_SECURITY_USER"),
        env("ELASTIC_SECURITY_PASSWORD"),
    ) {
        (Some(key), _, _) => builder.api_key(key),
        (None, Some(user), Some(password)) => builder.basic_auth(user, password),
        _ => {
            return Err(
                "set ELASTIC_SECURITY_API_KEY, or ELASTIC_SECURITY_USER and \
                        ELASTIC_SECURITY_PASSWORD"
                    .into(),
            )
        }
    };
    let client = builder.build()?;

    let rules = client
        .find_rules(&FindRulesParams {
            filter: Some("alert.attributes.enabled:true".into()),
            per_page: Some(10),
            ..Default::default()
        })
        .await?;
    println!(
        "{} enabled rules; the first {}:",
        rules.total,
        rules.data.len()
    );
    for rule in &rules.data {
        println!("  [{:?}] {} ({})", rule.severity, rule.name, rule.rule_id);
    }

    let search: AlertsSearchRequest = serde_json::from_value(serde_json::json!({
        "query": {"bool": {"filter": [{"term": {"kibana.alert.workflow_status": "open"}}]}},
        "size": 0,
        "track_total_hits": true,
        "aggs": {"by_rule": {"terms": {"field": "kibana.alert.rule.name", "size": 10}}}
    }))?;
    let alerts = client.search_alerts(&search).await?;
    let open = alerts.hits.total.as_ref().map_or(0, |total| total.value);
    println!("{open} open alerts");
    if let Some(aggregations) = &alerts.aggregations {
        let aggregations = serde_json::to_value(aggregations)?;
        for bucket in aggregations["by_rule"]["buckets"]
            .as_array()
            .into_iter()
            .flatten()
        {
            println!("  {:>6}  {}", bucket["doc_count"], bucket["key"]);
        }
    }

    let params = FindCasesParams {
        owner: Some(vec![CaseOwner::SecuritySolution]),
        status: Some(CaseStatus::Open),
        sort_order: Some(SortOrder::Desc),
        per_page: Some(50),
        ..Default::default()
    };
    println!("open cases (at most 200):");
    let mut cases = Box::pin(client.find_cases_stream(&params, Some(200)));
    while let Some(case) = cases.next().await {
        let case = case?;
        println!(
            "  {} [{:?}] {} ({} alerts, {} comments)",
            case.created_at.format("%Y-%m-%d"),
            case.severity,
            case.title,
            case.total_alerts,
            case.total_comment
        );
    }
    Ok(())
}

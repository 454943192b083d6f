//! Lists the most recent cases of a Stellar Cyber deployment, highest score first, and the
//! alerts of the first one.
//!
//! ```text
//! STELLAR_CYBER_BASE_URL=https://myserver.stellarcyber.cloud \
//! STELLAR_CYBER_USER_ID=soc@example.com \
//! STELLAR_CYBER_API_KEY=... \
//! STELLAR_CYBER_TENANT_ID=817418af76d44358922636e34be9627c \
//! cargo run --example recent_cases
//! ```
//!
//! `STELLAR_CYBER_TENANT_ID` is optional; without it, cases of every tenant the key can see are
//! listed. The API key is exchanged for a ten-minute JWT, which the client renews on its own.

use std::time::{SystemTime, UNIX_EPOCH};

use clientgen_runtime::futures::StreamExt;
use stellar_cyber_client::operations::{ListCaseAlertsParams, ListCasesParams};
use stellar_cyber_client::types::SortOrder;
use stellar_cyber_client::Client;

/// How many cases to print.
const CASES: usize = 20;

fn required(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set the environment variable {name}"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = required("STELLAR_CYBER_BASE_URL")?;
    // The crate README's snippet calls it STELLAR_CYBER_USER; either name works here.
    let user_id = required("STELLAR_CYBER_USER_ID").or_else(|_| required("STELLAR_CYBER_USER"))?;
    let api_key = required("STELLAR_CYBER_API_KEY")?;
    let tenant_id = std::env::var("STELLAR_CYBER_TENANT_ID").ok();

    let client = Client::builder()
        .base_url(base_url)
        .api_key_exchange(user_id, api_key)
        .build()?;

    // Without a time window the API returns only about the last day: ask for the last week.
    let now_ms = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis())?;
    let params = ListCasesParams {
        tenantid: tenant_id,
        limit: Some(100),
        sort: Some("score".into()),
        order: Some(SortOrder::Desc),
        from_created_at: Some(now_ms - 7 * 24 * 3600 * 1000),
        to_created_at: Some(now_ms),
        ..Default::default()
    };
    let mut cases = Box::pin(client.list_cases_stream(&params, Some(CASES)));
    let mut first = None;
    while let Some(case) = cases.next().await {
        let case = case?;
        println!(
            "#{:<6} {:<12} {:<8} score {:>6.1}  {}",
            case.ticket_id.unwrap_or_default(),
            case.status.as_ref().map(|s| s.as_str()).unwrap_or("-"),
            case.severity.as_ref().map(|s| s.as_str()).unwrap_or("-"),
            case.score.unwrap_or_default(),
            case.name.as_deref().unwrap_or("(unnamed)"),
        );
        first.get_or_insert(case.id);
    }

    let Some(case_id) = first else {
        println!("no cases in the last seven days");
        return Ok(());
    };
    let alerts = client
        .list_case_alerts(
            &case_id,
            &ListCaseAlertsParams {
                limit: Some(10),
                ..Default::default()
            },
        )
        .await?;
    println!("\nalerts of case {case_id}:");
    for doc in alerts.data.docs {
        let name = doc
            .source
            .as_ref()
            .and_then(|alert| alert.xdr_event.as_ref())
            .and_then(|event| event.display_name.as_deref())
            .unwrap_or("(unnamed alert)");
        println!("  {} {}", doc.id, name);
    }
    Ok(())
}

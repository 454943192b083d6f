//! When and how long to wait before sending a request again.
//!
//! A [`RetryPolicy`] retries answers that say "try later" (429, 502, 503, 504 by default) and
//! connection failures and timeouts, with exponential backoff and jitter, honouring
//! `Retry-After` (seconds or an HTTP date). By default only idempotent methods are retried: a
//! `POST` that may have reached the server is never sent twice unless the caller says so.
//! Attempts and total time are capped.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

/// How a transport retries; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles for each further one.
    pub initial_backoff: Duration,
    /// The longest computed wait (a server's `Retry-After` may ask for more).
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the first attempt, and no wait
    /// would end after it.
    pub max_elapsed: Duration,
    /// Response statuses that are retried.
    pub retry_statuses: Vec<u16>,
    /// Also retry methods that are not idempotent (`POST`, `PATCH`).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
            retry_statuses: vec![429, 502, 503, 504],
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether requests with `method` may be retried.
    pub fn allows(&self, method: &Method) -> bool {
        self.retry_non_idempotent || method.is_idempotent()
    }

    /// Whether a response with `status` is worth retrying.
    pub fn retries_status(&self, status: StatusCode) -> bool {
        self.retry_statuses.contains(&status.as_u16())
    }

    /// The wait before attempt `attempt + 1`: exponential, capped, with jitter in its upper half.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let full = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(jitter())
    }
}

/// A number in [0, 1) from per-process random hashing state.
fn jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x5EED);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a `Retry-After` header asks for, in seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for (attempt, full) in [(1, 100), (2, 200), (3, 350), (9, 350)] {
            let wait = policy.backoff(attempt);
            let full = Duration::from_millis(full);
            assert!(
                wait >= full / 2 && wait <= full,
                "attempt {attempt}: {wait:?}"
            );
        }
    }

    #[test]
    fn only_idempotent_methods_by_default() {
        let policy = RetryPolicy::default();
        assert!(
            policy.allows(&Method::GET)
                && policy.allows(&Method::PUT)
                && policy.allows(&Method::DELETE)
        );
        assert!(!policy.allows(&Method::POST) && !policy.allows(&Method::PATCH));
        let eager = RetryPolicy {
            retry_non_idempotent: true,
            ..RetryPolicy::default()
        };
        assert!(eager.allows(&Method::POST));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, "7".parse().expect("header"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        headers.insert(http::header::RETRY_AFTER, later.parse().expect("header"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(http::header::RETRY_AFTER, "soon".parse().expect("header"));
        assert_eq!(retry_after(&headers, now), None);
    }
}

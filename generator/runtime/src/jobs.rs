//! Waiting for a long-running job (an asynchronous search) to finish.
//!
//! Generated job helpers (declared by `x-clientgen-job` on the operation that creates a job)
//! create the job, then call [`wait`] with a function that polls its status, then stream the
//! results. Polls start at [`JobOptions::initial_interval`] and double up to
//! [`JobOptions::max_interval`]; a status the spec lists as failed ends the wait with
//! [`Error::Job`], and so does running past [`JobOptions::timeout`].

use std::future::Future;
use std::time::{Duration, Instant};

use crate::Error;

/// How long and how often to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobOptions {
    /// Give up when the job has not finished after this long.
    pub timeout: Duration,
    /// The wait before the first poll; it doubles after each poll.
    pub initial_interval: Duration,
    /// The longest wait between polls.
    pub max_interval: Duration,
}

impl Default for JobOptions {
    fn default() -> Self {
        JobOptions {
            timeout: Duration::from_secs(300),
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(5),
        }
    }
}

/// What a poll found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// Not finished yet; the text describes the status (for a timeout message).
    Running(String),
    /// Finished: results can be read.
    Done,
    /// Ended without results; the text says how.
    Failed(String),
}

/// Polls until the job is done, failed, or `options.timeout` has passed.
pub async fn wait<F, Fut>(
    operation: &'static str,
    options: JobOptions,
    mut poll: F,
) -> Result<(), Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<JobState, Error>>,
{
    let started = Instant::now();
    let mut interval = options.initial_interval;
    loop {
        match poll().await? {
            JobState::Done => return Ok(()),
            JobState::Failed(how) => {
                return Err(Error::Job {
                    operation,
                    reason: format!("the job ended without results: {how}"),
                })
            }
            JobState::Running(status) => {
                let elapsed = started.elapsed();
                if elapsed + interval > options.timeout {
                    return Err(Error::Job {
                        operation,
                        reason: format!(
                            "the job did not finish within {:?} (last status: {status})",
                            options.timeout
                        ),
                    });
                }
                tracing::debug!(%status, ?interval, "job still running");
                tokio::time::sleep(interval).await;
                interval = (interval * 2).min(options.max_interval);
            }
        }
    }
}

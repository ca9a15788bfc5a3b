//! What checking one address found, and how each finding reads as a diagnostic.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::LinkCheckConfig;
use crate::diagnostic::{Diagnostic, Severity};

/// What one address answered, after redirects and retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// A 2xx answer, directly or through temporary redirects.
    Ok,
    /// A permanent redirect (301, 308) to `to`, which answers.
    Moved {
        /// The redirect's status.
        status: u16,
        /// Where the link should point now.
        to: String,
    },
    /// An error status (4xx, 5xx after retries); `at` is the address that gave it, when a
    /// redirect led there.
    Status {
        /// The HTTP status.
        status: u16,
        /// The last address of a redirect chain, if any.
        at: Option<String>,
    },
    /// No answer: the connection failed (refused, unknown host, TLS).
    Failed {
        /// Why, in a few words (`connection refused`).
        reason: String,
    },
    /// Redirects that lead nowhere: too many, or to an address that is not a web page's.
    Redirects {
        /// Why, in a few words (`more than 10 redirects`).
        reason: String,
    },
    /// No answer within the configured timeout.
    TimedOut,
    /// The host answered 429 and asked to wait longer than a check waits, or kept asking.
    RateLimited {
        /// The wait it asked for, in seconds, when it said.
        wait: Option<u64>,
    },
    /// The run's time limit came before this address.
    NotChecked,
}

/// How an outcome is counted in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    /// Fine.
    Ok,
    /// Reported as broken.
    Broken,
    /// Moved permanently.
    Moved,
    /// Not known this run.
    Unknown,
}

impl Outcome {
    /// Whether the result holds until the cache's time to live ends: answers that say
    /// something about the page, not about the network or the moment.
    pub fn is_definitive(&self) -> bool {
        match self {
            Outcome::Ok | Outcome::Moved { .. } => true,
            Outcome::Status { status, .. } => matches!(status, 404 | 410),
            _ => false,
        }
    }

    /// Its column in the summary.
    pub fn tally(&self) -> Tally {
        match self {
            Outcome::Ok => Tally::Ok,
            Outcome::Moved { .. } => Tally::Moved,
            Outcome::Status { .. }
            | Outcome::Failed { .. }
            | Outcome::Redirects { .. }
            | Outcome::TimedOut => Tally::Broken,
            Outcome::RateLimited { .. } | Outcome::NotChecked => Tally::Unknown,
        }
    }

    /// The diagnostic for a link to `url` written at `path`:`line`:`column`, if any.
    pub fn diagnostic(
        &self,
        url: &str,
        (path, line, column): (&Path, usize, usize),
        config: &LinkCheckConfig,
    ) -> Option<Diagnostic> {
        let at = |severity: Severity, message: String| match severity {
            Severity::Error => Diagnostic::error(path, line, column, message),
            Severity::Warning => Diagnostic::warning(path, line, column, message),
        };
        let seconds = config.timeout.as_secs_f64();
        let skip_hint = "or add its address to `skip` under `[link_check]` in fixbook.toml";
        let diagnostic = match self {
            Outcome::Ok => return None,
            Outcome::Moved { status, to } => {
                at(config.redirect?, format!("`{url}` has moved permanently ({status}) to `{to}`"))
                    .with_hint(format!("link to `{to}` instead"))
            }
            Outcome::Status { status, at: end } => {
                let reason = reason(*status);
                let message = match end {
                    Some(end) => format!("broken link `{url}`: {status} {reason} (redirected to `{end}`)"),
                    None => format!("broken link `{url}`: {status} {reason}"),
                };
                let hint = if matches!(status, 404 | 410) {
                    "the page is gone: link to where it lives now, or remove the link".to_owned()
                } else {
                    format!("the host answered with an error; open it in a browser to see, {skip_hint}")
                };
                at(config.broken, message).with_hint(hint)
            }
            Outcome::Failed { reason } => at(config.broken, format!("broken link `{url}`: {reason}"))
                .with_hint(format!("the host could not be reached: check the address, {skip_hint}")),
            Outcome::Redirects { reason } => at(config.broken, format!("broken link `{url}`: {reason}"))
                .with_hint(format!("the address never leads to a page: open it in a browser to see where it goes, {skip_hint}")),
            Outcome::TimedOut => at(
                config.broken,
                format!("broken link `{url}`: no answer within {seconds} s"),
            )
            .with_hint(format!(
                "if the host is only slow, raise `timeout` under `[link_check]` in fixbook.toml, {skip_hint}"
            )),
            Outcome::RateLimited { wait } => {
                let asked = match wait {
                    Some(wait) => format!("asks to wait {wait} s"),
                    None => "keeps answering 429 Too Many Requests".to_owned(),
                };
                at(
                    Severity::Warning,
                    format!("could not check `{url}`: the host {asked}"),
                )
                .with_hint("it is asked again on the next run; answers already known are cached")
            }
            Outcome::NotChecked => at(
                Severity::Warning,
                format!(
                    "did not check `{url}`: the check's `time_limit` of {} s was reached",
                    config.time_limit.as_secs()
                ),
            )
            .with_hint("run it again: what was checked is cached, so the next run goes on from there"),
        };
        Some(diagnostic)
    }
}

/// `Not Found` for 404: the standard reason phrase, or nothing for an unknown status.
fn reason(status: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> (&'static Path, usize, usize) {
        (Path::new("content/articles/a.md"), 3, 7)
    }

    #[test]
    fn severities_follow_the_configuration() {
        let moved = Outcome::Moved {
            status: 308,
            to: "https://b.example/".to_owned(),
        };
        let gone = Outcome::Status {
            status: 410,
            at: None,
        };
        let mut config = LinkCheckConfig::default();
        let warning = moved.diagnostic("https://a.example/", at(), &config);
        assert_eq!(warning.map(|d| d.severity), Some(Severity::Warning));
        let error = gone.diagnostic("https://a.example/", at(), &config);
        assert_eq!(
            error.map(|d| (d.severity, d.message)),
            Some((
                Severity::Error,
                "broken link `https://a.example/`: 410 Gone".to_owned()
            ))
        );
        config.redirect = None;
        config.broken = Severity::Warning;
        assert_eq!(moved.diagnostic("https://a.example/", at(), &config), None);
        let warning = gone.diagnostic("https://a.example/", at(), &config);
        assert_eq!(warning.map(|d| d.severity), Some(Severity::Warning));
        assert_eq!(
            Outcome::Ok.diagnostic("https://a.example/", at(), &config),
            None
        );
    }

    #[test]
    fn only_answers_about_the_page_are_definitive() {
        for kept in [
            Outcome::Ok,
            Outcome::Status {
                status: 404,
                at: None,
            },
        ] {
            assert!(kept.is_definitive(), "{kept:?}");
        }
        for asked_again in [
            Outcome::Status {
                status: 503,
                at: None,
            },
            Outcome::TimedOut,
            Outcome::Failed {
                reason: "connection refused".to_owned(),
            },
            Outcome::RateLimited { wait: Some(120) },
            Outcome::NotChecked,
        ] {
            assert!(!asked_again.is_definitive(), "{asked_again:?}");
        }
    }
}

//! `[link_check]` in `fixbook.toml`: how `fixbook check --external` treats off-site links.

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Severity};

/// `[link_check]`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCheckConfig {
    /// URL prefixes never requested (`https://intranet.example.org/`).
    pub skip: Vec<String>,
    /// How long one request may take, connecting included.
    pub timeout: Duration,
    /// How long a definitive result (ok, not found, moved) is trusted before it is asked again.
    pub cache_ttl: Duration,
    /// How long the whole check may take; links left over are reported as not checked.
    pub time_limit: Duration,
    /// The severity of a broken link.
    pub broken: Severity,
    /// The severity of a permanent redirect, or `None` to accept it silently.
    pub redirect: Option<Severity>,
}

impl Default for LinkCheckConfig {
    fn default() -> Self {
        Self {
            skip: Vec::new(),
            timeout: Duration::from_secs(10),
            cache_ttl: Duration::from_secs(24 * 60 * 60),
            time_limit: Duration::from_secs(5 * 60),
            broken: Severity::Error,
            redirect: Some(Severity::Warning),
        }
    }
}

/// A duration as written: seconds, or a string such as `"10s"`, `"5m"`, `"12h"` or `"1d"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawDuration {
    Seconds(u64),
    Text(String),
}

/// `[link_check]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLinkCheck {
    #[serde(default)]
    skip: Vec<String>,
    timeout: Option<Spanned<RawDuration>>,
    cache_ttl: Option<Spanned<RawDuration>>,
    time_limit: Option<Spanned<RawDuration>>,
    broken: Option<Spanned<String>>,
    redirect: Option<Spanned<String>>,
}

impl RawLinkCheck {
    /// Checks every value of `[link_check]`; `text` is the file, for positions.
    pub(super) fn validate(self, text: &str) -> (LinkCheckConfig, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let defaults = LinkCheckConfig::default();
        let mut error = |span: std::ops::Range<usize>, message: String, hint: &str| {
            let (line, column) = crate::diagnostic::line_col(text, span.start);
            diagnostics.push(Diagnostic::error(CONFIG_FILE, line, column, message).with_hint(hint));
        };
        let mut duration = |key: &str, value: Option<Spanned<RawDuration>>, default: Duration| {
            let Some(value) = value else {
                return default;
            };
            let span = value.span();
            let parsed = match value.into_inner() {
                RawDuration::Seconds(seconds) => Ok(Duration::from_secs(seconds)),
                RawDuration::Text(text) => parse_duration(&text).ok_or(text),
            };
            match parsed {
                Ok(duration) if !duration.is_zero() => duration,
                Ok(_) => {
                    error(
                        span,
                        format!("`{key}` must be longer than nothing"),
                        "write a number of seconds, or a duration such as `\"10s\"`, `\"5m\"` or `\"1d\"`",
                    );
                    default
                }
                Err(written) => {
                    error(
                        span,
                        format!("`{key}` is not a duration: `{written}`"),
                        "write a number of seconds, or a duration such as `\"10s\"`, `\"5m\"` or `\"1d\"`",
                    );
                    default
                }
            }
        };
        let timeout = duration("timeout", self.timeout, defaults.timeout);
        let cache_ttl = duration("cache_ttl", self.cache_ttl, defaults.cache_ttl);
        let time_limit = duration("time_limit", self.time_limit, defaults.time_limit);
        let broken = match self.broken {
            None => defaults.broken,
            Some(value) => match value.get_ref().as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                other => {
                    error(
                        value.span(),
                        format!("`broken` must be `error` or `warning`, not `{other}`"),
                        "`error` fails the check on a broken link; `warning` fails it only with `--strict`",
                    );
                    defaults.broken
                }
            },
        };
        let redirect = match self.redirect {
            None => defaults.redirect,
            Some(value) => match value.get_ref().as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "ignore" => None,
                other => {
                    error(
                        value.span(),
                        format!("`redirect` must be `warning`, `error` or `ignore`, not `{other}`"),
                        "how a link that moved permanently (301, 308) is reported",
                    );
                    defaults.redirect
                }
            },
        };
        let config = LinkCheckConfig {
            skip: self.skip,
            timeout,
            cache_ttl,
            time_limit,
            broken,
            redirect,
        };
        (config, diagnostics)
    }
}

/// Every key `[link_check]` accepts, as serde lists them for an unknown one (for the test
/// that `fixbook init` explains them all).
#[cfg(test)]
pub(crate) fn accepted_keys() -> Vec<String> {
    let Err(err) = toml::from_str::<RawLinkCheck>("not-a-key = 1\n") else {
        return Vec::new();
    };
    err.message()
        .split('`')
        .skip(3)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// `"10s"`, `"5m"`, `"12h"`, `"1d"` (or a bare number of seconds) as a duration.
fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 60 * 60,
        "d" => 24 * 60 * 60,
        _ => return None,
    };
    number.checked_mul(seconds).map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse(extra: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(&format!(
            "title = \"KB\"\nbase_url = \"https://x.org/\"\n[link_check]\n{extra}"
        ))
    }

    #[test]
    fn durations_are_seconds_or_a_number_with_a_unit() {
        assert_eq!(parse_duration("10s"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1d"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_duration("ten"), None);
        assert_eq!(parse_duration("1w"), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
    }

    #[test]
    fn link_check_keys_are_read_and_checked_where_written() {
        let config = parse("skip = [\"https://a.example/\"]\ntimeout = 3\ncache_ttl = \"2h\"\nbroken = \"warning\"\nredirect = \"ignore\"\n")
            .unwrap_or_else(|d| panic!("{d:?}"));
        let check = &config.link_check;
        assert_eq!(check.skip, ["https://a.example/"]);
        assert_eq!(check.timeout, Duration::from_secs(3));
        assert_eq!(check.cache_ttl, Duration::from_secs(7200));
        assert_eq!(check.broken, Severity::Warning);
        assert_eq!(check.redirect, None);
        let errors = parse("timeout = \"soon\"\nbroken = \"fatal\"\n")
            .err()
            .unwrap_or_default();
        let found: Vec<_> = errors
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (4, 11, "`timeout` is not a duration: `soon`"),
                (5, 10, "`broken` must be `error` or `warning`, not `fatal`"),
            ]
        );
        let errors = parse("timout = 3\n").err().unwrap_or_default();
        assert_eq!(errors[0].message, "unknown key `timout`");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `timeout`?"));
    }
}

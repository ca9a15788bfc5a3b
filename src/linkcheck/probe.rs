//! Asking one address whether it answers: `HEAD` (or `GET` where `HEAD` is refused),
//! redirects followed one by one, transient failures retried with backoff, `Retry-After`
//! honoured on 429.

use std::time::{Duration, Instant, SystemTime};

use ureq::Agent;
use url::Url;

use super::outcome::Outcome;

/// Redirects followed before a link counts as broken.
const MAX_REDIRECTS: usize = 10;
/// Tries of one request when the failure may pass (a reset connection, a 5xx, a 429).
const ATTEMPTS: u32 = 3;
/// The wait before the first retry; it doubles for each further one.
const BACKOFF: Duration = Duration::from_millis(500);
/// The longest `Retry-After` a check waits for; beyond it the link is reported as rate limited.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// What one request got back.
#[derive(Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<String>,
}

/// Why one request got nothing back.
#[derive(Debug)]
enum NoAnswer {
    TimedOut,
    /// Worth another try: the connection was reset or closed early.
    Transient(String),
    /// Not worth another try: refused, unknown host, TLS, a bad address.
    Failed(String),
    /// The run's time limit came first.
    OutOfTime,
}

/// The requests of one worker, spaced out so that one host never sees a burst.
pub struct Prober {
    agent: Agent,
    delay: Duration,
    last: Option<Instant>,
    deadline: Instant,
}

impl Prober {
    /// A prober whose requests take at most `timeout` each, start at least `delay` apart,
    /// and stop at `deadline`.
    pub fn new(timeout: Duration, delay: Duration, deadline: Instant) -> Self {
        let agent: Agent = Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!(
                "fixbook/",
                env!("CARGO_PKG_VERSION"),
                " (link check)"
            ))
            .build()
            .into();
        Self {
            agent,
            delay,
            last: None,
            deadline,
        }
    }

    /// Starts a new host: the first request to it need not wait.
    pub fn next_host(&mut self) {
        self.last = None;
    }

    /// Whether the run's time is up.
    pub fn out_of_time(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Checks `url` (absolute, without fragment), following redirects.
    pub fn check(&mut self, url: &str) -> Outcome {
        let mut current = url.to_owned();
        let mut moved: Option<(u16, String)> = None;
        let mut permanent_so_far = true;
        for _ in 0..=MAX_REDIRECTS {
            let answer = match self.fetch(&current) {
                Ok(answer) => answer,
                Err(outcome) => return outcome,
            };
            let status = answer.status;
            if (200..300).contains(&status) {
                return match moved {
                    Some((status, to)) => Outcome::Moved { status, to },
                    None => Outcome::Ok,
                };
            }
            let location = answer.location.filter(|_| (300..400).contains(&status));
            let Some(location) = location else {
                return Outcome::Status {
                    status,
                    at: (current != url).then_some(current),
                };
            };
            let next = Url::parse(&current).and_then(|base| base.join(&location));
            let Ok(mut next) = next else {
                return Outcome::Redirects {
                    reason: format!("a redirect to the invalid address `{location}`"),
                };
            };
            if !matches!(next.scheme(), "http" | "https") {
                return Outcome::Redirects {
                    reason: format!("a redirect to `{next}`, which is not a web address"),
                };
            }
            next.set_fragment(None);
            permanent_so_far &= matches!(status, 301 | 308);
            if permanent_so_far {
                moved = Some((status, next.to_string()));
            }
            current = next.into();
        }
        Outcome::Redirects {
            reason: format!("more than {MAX_REDIRECTS} redirects"),
        }
    }

    /// One request with its retries: an answer to act on, or the outcome it ends in.
    fn fetch(&mut self, url: &str) -> Result<Answer, Outcome> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt == ATTEMPTS;
            if self.out_of_time() {
                return Err(Outcome::NotChecked);
            }
            let backoff = BACKOFF * 2u32.pow(attempt - 1);
            match self.head_or_get(url) {
                Ok(answer) if answer.status == 429 => {
                    let asked = answer.retry_after.as_deref().and_then(retry_after);
                    match asked {
                        Some(wait) if wait > MAX_RETRY_AFTER || last => {
                            return Err(Outcome::RateLimited {
                                wait: Some(wait.as_secs()),
                            });
                        }
                        None if last => return Err(Outcome::RateLimited { wait: None }),
                        Some(wait) => self.sleep(wait),
                        None => self.sleep(backoff),
                    }
                }
                Ok(answer) if answer.status >= 500 && !last => self.sleep(backoff),
                Ok(answer) => return Ok(answer),
                Err(NoAnswer::Transient(_)) if !last => self.sleep(backoff),
                Err(NoAnswer::Transient(reason) | NoAnswer::Failed(reason)) => {
                    return Err(Outcome::Failed { reason });
                }
                Err(NoAnswer::TimedOut) => return Err(Outcome::TimedOut),
                Err(NoAnswer::OutOfTime) => return Err(Outcome::NotChecked),
            }
        }
    }

    /// `HEAD`, then `GET` when the server refuses `HEAD` (403, 405, 501) or gives no answer
    /// to it; the body of a `GET` is never read.
    fn head_or_get(&mut self, url: &str) -> Result<Answer, NoAnswer> {
        let head = self.request(url, true);
        match &head {
            Ok(answer) if matches!(answer.status, 403 | 405 | 501) => self.request(url, false),
            Err(NoAnswer::TimedOut | NoAnswer::Transient(_)) => self.request(url, false),
            _ => head,
        }
    }

    fn request(&mut self, url: &str, head: bool) -> Result<Answer, NoAnswer> {
        if let Some(last) = self.last {
            self.sleep(self.delay.saturating_sub(last.elapsed()));
        }
        if self.out_of_time() {
            return Err(NoAnswer::OutOfTime);
        }
        self.last = Some(Instant::now());
        let sent = if head {
            self.agent.head(url).call()
        } else {
            self.agent.get(url).call()
        };
        let response = sent.map_err(no_answer)?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(Answer {
            status: response.status().as_u16(),
            location: header("location"),
            retry_after: header("retry-after"),
        })
    }

    /// Sleeps for `wait`, but never past the run's deadline.
    fn sleep(&self, wait: Duration) {
        let left = self.deadline.saturating_duration_since(Instant::now());
        std::thread::sleep(wait.min(left));
    }
}

/// A `Retry-After` value: seconds, or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn no_answer(err: ureq::Error) -> NoAnswer {
    use std::io::ErrorKind;
    match err {
        ureq::Error::Timeout(_) => NoAnswer::TimedOut,
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::TimedOut => NoAnswer::TimedOut,
            ErrorKind::ConnectionRefused => NoAnswer::Failed("connection refused".to_owned()),
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof => {
                NoAnswer::Transient(format!("the connection broke ({io})"))
            }
            _ => NoAnswer::Failed(io.to_string()),
        },
        ureq::Error::Protocol(err) => NoAnswer::Transient(format!("a malformed answer ({err})")),
        ureq::Error::HostNotFound => NoAnswer::Failed("host not found".to_owned()),
        ureq::Error::ConnectionFailed => NoAnswer::Failed("the connection failed".to_owned()),
        ureq::Error::BadUri(_) => NoAnswer::Failed("not a valid address".to_owned()),
        ureq::Error::Tls(err) => NoAnswer::Failed(format!("TLS: {err}")),
        ureq::Error::Rustls(err) => NoAnswer::Failed(format!("TLS: {err}")),
        other => NoAnswer::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        assert_eq!(retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = SystemTime::now() + Duration::from_secs(3600);
        let wait = retry_after(&httpdate::fmt_http_date(later)).unwrap_or_default();
        assert!(wait > Duration::from_secs(3500), "{wait:?}");
        assert_eq!(retry_after("soon"), None);
    }
}

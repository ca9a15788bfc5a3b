//! Dates in front matter: `2024-08-13` or RFC 3339 (`2024-08-13T23:49:06.349Z`).

use jiff::Timestamp;
use jiff::civil::Date;

/// A publication or update date, keeping the time when one was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageDate {
    /// The instant; midnight UTC when only a date was given.
    pub timestamp: Timestamp,
}

impl PageDate {
    /// Parses a date or an RFC 3339 time.
    pub fn parse(text: &str) -> Result<PageDate, String> {
        let text = text.trim();
        if let Ok(date) = text.parse::<Date>()
            && text.len() == 10
        {
            let timestamp = date
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map_err(|err| err.to_string())?
                .timestamp();
            return Ok(PageDate { timestamp });
        }
        text.parse::<Timestamp>()
            .map(|timestamp| PageDate { timestamp })
            .map_err(|_| format!("`{text}` is not a date"))
    }

    /// The calendar date in UTC.
    pub fn date(self) -> Date {
        self.timestamp.to_zoned(jiff::tz::TimeZone::UTC).date()
    }

    /// `2024-08-13`.
    pub fn iso_date(self) -> String {
        self.date().to_string()
    }

    /// `13 August 2024`, for readers.
    pub fn display(self) -> String {
        self.date().strftime("%-d %B %Y").to_string()
    }

    /// RFC 3339 with seconds, in UTC, for feeds and structured data.
    pub fn rfc3339(self) -> String {
        self.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_dates_and_rfc3339() {
        let plain = PageDate::parse("2024-08-13").map(PageDate::rfc3339);
        assert_eq!(plain.as_deref(), Ok("2024-08-13T00:00:00Z"));
        let full = PageDate::parse("2024-08-13T23:49:06.349Z").map(PageDate::rfc3339);
        assert_eq!(full.as_deref(), Ok("2024-08-13T23:49:06Z"));
        let offset = PageDate::parse("2024-08-13T23:49:06+02:00").map(PageDate::iso_date);
        assert_eq!(offset.as_deref(), Ok("2024-08-13"));
    }

    #[test]
    fn rejects_other_text_with_a_readable_message() {
        assert_eq!(
            PageDate::parse("last tuesday"),
            Err("`last tuesday` is not a date".to_owned())
        );
        assert!(PageDate::parse("2024-13-45").is_err());
    }

    #[test]
    fn display_is_day_month_year() {
        assert_eq!(
            PageDate::parse("2024-08-03")
                .map(PageDate::display)
                .as_deref(),
            Ok("3 August 2024")
        );
    }
}

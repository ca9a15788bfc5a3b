//! Which URLs a page may load, and which links are ads in disguise.
//!
//! URLs are resolved with the WHATWG rules browsers use (the `url` crate), against the
//! site's own address, so that `//host/x`, `\\host\x` and `HTTPS://Host` are judged the
//! way a browser would load them.

use url::Url;

use crate::config::Config;

/// Where a resource URL (image, video, poster …) would be loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The site itself: a relative URL, or an absolute one on the site's own host.
    Site,
    /// An `https` host listed in `allowed_image_hosts` (images only).
    Allowed,
    /// Another host, which would see every reader's visit.
    OffSite(String),
    /// A scheme that pages never load from content (`data:`, `javascript:`, `blob:` …), or
    /// a URL no browser could load.
    Refused(String),
}

/// What a link's `href` points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A page of this site, a fragment, `mailto:` or `tel:`.
    Internal,
    /// A page on another host: it gets `rel="noopener noreferrer nofollow"`.
    External,
    /// A link that carries affiliate or checkout tracking, or points at an ad network.
    Tracking(Tracking),
    /// A scheme links may not use (`javascript:`, `data:`, `vbscript:`, `file:` …).
    Refused(String),
}

/// Why a link counts as an ad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracking {
    /// The host the link goes to.
    pub host: String,
    /// `affiliate tracking (\`aff_id\`)`, `checkout tracking`, `an ad network`.
    pub reason: String,
}

/// Query parameters that identify an affiliate or a click for commission, lowercase.
const AFFILIATE_PARAMS: &[&str] = &[
    "aff",
    "affid",
    "aff_id",
    "aff_sub",
    "affcode",
    "aff_code",
    "affiliate",
    "affiliateid",
    "affiliate_id",
    "afftrack",
    "ascsubtag",
    "awc",
    "cjevent",
    "clickid",
    "click_id",
    "irclickid",
    "irgwc",
    "ranmid",
    "raneaid",
    "ransiteid",
    "sscid",
];

/// Query parameters of shop checkouts and carts, lowercase.
const CHECKOUT_PARAMS: &[&str] = &["add-to-cart", "add_to_cart", "addtocart", "cart", "prods"];

/// Redirect and ad-serving hosts of the large ad and affiliate networks: a link there is an
/// ad whatever its parameters. Subdomains match too (`x.pxf.io`).
const AD_NETWORK_HOSTS: &[&str] = &[
    "8odi.net",
    "adservice.google.com",
    "amzn.to",
    "anrdoezrs.net",
    "awin1.com",
    "dpbolvw.net",
    "doubleclick.net",
    "emjcd.com",
    "evyy.net",
    "googleadservices.com",
    "googlesyndication.com",
    "impactradius-go.com",
    "jdoqocy.com",
    "kqzyfj.com",
    "linksynergy.com",
    "ojrq.net",
    "outbrain.com",
    "prf.hn",
    "pxf.io",
    "redirectingat.com",
    "shareasale.com",
    "sjv.io",
    "skimresources.com",
    "taboola.com",
    "tkqlhce.com",
];

/// The URL rules of one site.
#[derive(Debug, Clone)]
pub struct UrlRules {
    base: Url,
    image_hosts: Vec<String>,
}

impl UrlRules {
    /// The rules for `config`: its own host, plus its `allowed_image_hosts` for images.
    pub fn new(config: &Config) -> Self {
        let base = Url::parse(&config.base_url)
            .or_else(|_| Url::parse("https://site.invalid/"))
            .unwrap_or_else(|_| unreachable_base());
        let image_hosts = config
            .allowed_image_hosts
            .iter()
            .map(|host| {
                let host = host.trim().to_ascii_lowercase();
                let host = host.strip_prefix("https://").unwrap_or(&host);
                host.trim_end_matches('/').to_owned()
            })
            .filter(|host| !host.is_empty())
            .collect();
        Self { base, image_hosts }
    }

    /// Where an image (or poster, or `srcset` candidate) would be loaded from.
    pub fn image(&self, raw: &str) -> Source {
        self.source(raw, true)
    }

    /// Where audio, video or a text track would be loaded from: only the site itself,
    /// because the Content-Security-Policy allows media from nowhere else.
    pub fn media(&self, raw: &str) -> Source {
        self.source(raw, false)
    }

    /// Judges every candidate of a `srcset`: the first one not from the site or an allowed
    /// host, if any.
    pub fn srcset(&self, raw: &str) -> Option<Source> {
        raw.split(',')
            .filter_map(|candidate| candidate.split_whitespace().next())
            .map(|url| self.image(url))
            .find(|source| !matches!(source, Source::Site | Source::Allowed))
    }

    fn source(&self, raw: &str, allow_listed: bool) -> Source {
        let Some(url) = self.resolve(raw) else {
            return Source::Refused("an invalid URL".to_owned());
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Source::Refused(format!("`{}:`", url.scheme()));
        }
        let host = host_of(&url);
        if self.is_own(&url) {
            Source::Site
        } else if allow_listed && url.scheme() == "https" && self.image_hosts.contains(&host) {
            Source::Allowed
        } else {
            Source::OffSite(host)
        }
    }

    /// Classifies a link's `href`.
    pub fn link(&self, raw: &str) -> LinkTarget {
        let Some(url) = self.resolve(raw) else {
            return LinkTarget::Refused("an invalid URL".to_owned());
        };
        match url.scheme() {
            "mailto" | "tel" => return LinkTarget::Internal,
            "http" | "https" => {}
            other => return LinkTarget::Refused(format!("`{other}:`")),
        }
        if let Some(tracking) = tracking(&url) {
            return LinkTarget::Tracking(tracking);
        }
        if self.is_own(&url) {
            LinkTarget::Internal
        } else {
            LinkTarget::External
        }
    }

    /// Resolves a URL as a browser would on one of the site's pages.
    pub fn resolve(&self, raw: &str) -> Option<Url> {
        self.base.join(raw.trim()).ok()
    }

    fn is_own(&self, url: &Url) -> bool {
        url.host() == self.base.host()
            && url.port_or_known_default() == self.base.port_or_known_default()
    }
}

/// `Url::parse` of a constant cannot fail; this keeps the code free of `expect`.
fn unreachable_base() -> Url {
    match Url::parse("http://localhost/") {
        Ok(url) => url,
        Err(_) => unreachable!("a constant URL parses"),
    }
}

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => String::new(),
    }
}

/// Affiliate and checkout tracking, judged on the host, the path and the query keys.
fn tracking(url: &Url) -> Option<Tracking> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let found = |reason: String| {
        Some(Tracking {
            host: host_of(url),
            reason,
        })
    };
    if AD_NETWORK_HOSTS
        .iter()
        .any(|ad| host == *ad || host.ends_with(&format!(".{ad}")))
    {
        return found("an ad network".to_owned());
    }
    let keys: Vec<String> = url
        .query_pairs()
        .map(|(key, _)| key.to_ascii_lowercase())
        .collect();
    if let Some(key) = keys.iter().find(|k| AFFILIATE_PARAMS.contains(&k.as_str())) {
        return found(format!("affiliate tracking (`{key}`)"));
    }
    let amazon = host.contains("amazon.") || host.starts_with("amzn.");
    if amazon && keys.iter().any(|k| k == "tag") {
        return found("affiliate tracking (`tag`)".to_owned());
    }
    let path = url.path().to_ascii_lowercase();
    let checkout_path = path.contains("checkout") || path.split('/').any(|part| part == "cart");
    if keys.iter().any(|k| CHECKOUT_PARAMS.contains(&k.as_str()))
        || (checkout_path && !keys.is_empty())
    {
        return found("checkout tracking".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> UrlRules {
        let config = Config::parse(
            "title = \"KB\"\nbase_url = \"https://help.example.org/kb/\"\nallowed_image_hosts = [\"images.example.net\"]\n",
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        UrlRules::new(&config)
    }

    #[test]
    fn images_load_only_from_the_site_or_an_allowed_https_host() {
        let rules = rules();
        assert_eq!(rules.image("shot.png"), Source::Site);
        assert_eq!(rules.image("/kb/img/shot.png"), Source::Site);
        assert_eq!(rules.image("https://help.example.org/x.png"), Source::Site);
        assert_eq!(
            rules.image("https://images.example.net/a.png"),
            Source::Allowed
        );
        assert_eq!(
            rules.image("http://images.example.net/a.png"),
            Source::OffSite("images.example.net".into())
        );
        for sneaky in [
            "//cdn.example.com/a.png",
            "\\\\cdn.example.com\\a.png",
            " HTTPS://CDN.example.com/a.png",
        ] {
            assert_eq!(
                rules.image(sneaky),
                Source::OffSite("cdn.example.com".into()),
                "{sneaky}"
            );
        }
        assert_eq!(
            rules.image("data:image/gif;base64,R0lGOD"),
            Source::Refused("`data:`".into())
        );
        assert_eq!(
            rules.media("https://images.example.net/a.mp4"),
            Source::OffSite("images.example.net".into())
        );
    }

    #[test]
    fn srcset_is_refused_when_any_candidate_is_off_site() {
        let rules = rules();
        assert_eq!(rules.srcset("a.png 1x, b.png 2x"), None);
        assert_eq!(
            rules.srcset("a.png 1x, https://cdn.example.com/b.png 2x"),
            Some(Source::OffSite("cdn.example.com".into()))
        );
    }

    #[test]
    fn affiliate_checkout_and_ad_network_links_are_tracking() {
        let rules = rules();
        let reason = |href: &str| match rules.link(href) {
            LinkTarget::Tracking(t) => t.reason,
            other => format!("{other:?}"),
        };
        assert_eq!(
            reason("https://shop.example.com/p?AFFILIATE=108875"),
            "affiliate tracking (`affiliate`)"
        );
        assert_eq!(
            reason("https://shop.example.com/order/checkout.php?PRODS=1&QTY=1"),
            "checkout tracking"
        );
        assert_eq!(
            reason("https://shop.example.com/checkout?item=3"),
            "checkout tracking"
        );
        assert_eq!(reason("https://partner.sjv.io/c/1/2/3"), "an ad network");
        assert_eq!(
            reason("https://www.amazon.example/dp/1?tag=kb-20"),
            "affiliate tracking (`tag`)"
        );
        assert_eq!(
            rules.link("https://example.com/guide?utm_source=x"),
            LinkTarget::External
        );
        assert_eq!(
            rules.link("https://example.com/checkout-guide"),
            LinkTarget::External
        );
        assert_eq!(rules.link("../fixes/x/"), LinkTarget::Internal);
        assert_eq!(rules.link("mailto:help@example.org"), LinkTarget::Internal);
        assert_eq!(
            rules.link("JavaScript:alert(1)"),
            LinkTarget::Refused("`javascript:`".into())
        );
        assert_eq!(
            rules.link("data:text/html,x"),
            LinkTarget::Refused("`data:`".into())
        );
    }
}

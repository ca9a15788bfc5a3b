//! An article's guided mode: its fixes one at a time, safest first, per platform, as the
//! panels of one page. Every panel is an anchor, so the guide works by plain links; the
//! words around the data are the template's.

use serde::Serialize;

use super::context::{ArticleRef, GetHelpContext, PlatformRef};
use super::{Site, guide_steps};
use crate::content::Risk;

/// `guide` on an article's guide page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleGuideContext {
    /// The article's id.
    pub slug: String,
    /// The article's title: the problem.
    pub title: String,
    /// The article page's address.
    pub article_url: String,
    /// The article's description.
    pub description: String,
    /// The platforms to choose from (two or more), each with where its track starts;
    /// empty when there is nothing to choose.
    pub choose: Vec<TrackStart>,
    /// One track per platform (one without a platform when the article names none).
    pub tracks: Vec<Track>,
    /// The article's get-help block, if it has one.
    pub get_help: Option<GetHelpContext>,
    /// The article's related problems, for the "it worked" end.
    pub related: Vec<ArticleRef>,
    /// The guide page's absolute address, for the support summary.
    pub canonical: String,
}

/// Where a platform's track starts.
#[derive(Debug, Clone, Serialize)]
pub struct TrackStart {
    /// The platform.
    pub platform: PlatformRef,
    /// The anchor of its first panel.
    pub first: String,
    /// How many steps it has.
    pub total: usize,
}

/// The fixes of one platform, in order, with the ends they lead to.
#[derive(Debug, Clone, Serialize)]
pub struct Track {
    /// The platform; its key is "" for a track without one.
    pub platform: PlatformRef,
    /// The anchor of its first panel (a high-risk stop, a step, or the get-help end).
    pub first: String,
    /// How many steps it has.
    pub total: usize,
    /// The steps.
    pub steps: Vec<GuideStep>,
    /// The get-help ends: after every step, and before each high-risk step.
    pub help: Vec<HelpEnd>,
}

/// One fix as a step.
#[derive(Debug, Clone, Serialize)]
pub struct GuideStep {
    /// 1-based.
    pub number: usize,
    /// The step panel's anchor.
    pub anchor: String,
    /// The anchor of the stop before it (high-risk fixes), or "".
    pub stop: String,
    /// The anchor of its "it worked" end.
    pub worked: String,
    /// Where "still not fixed" leads: the next step (or its stop), or the get-help end.
    pub next: String,
    /// Where "get help instead" leads from its stop: the get-help end after the steps
    /// before it.
    pub help_instead: String,
    /// The fix's id, title, page, risk, duration, description and warning.
    pub fix: StepFix,
    /// (html) The fix's steps for this platform only.
    pub content: String,
    /// The ids of the fixes tried before this step, space-separated (`data-tried`).
    pub tried_before: String,
}

/// What a step shows of its fix.
#[derive(Debug, Clone, Serialize)]
pub struct StepFix {
    /// The fix's id.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its page's address.
    pub url: String,
    /// `low`, `medium` or `high`.
    pub risk: &'static str,
    /// The same for readers.
    pub risk_label: &'static str,
    /// About how long it takes, or "".
    pub duration: String,
    /// Its description, or "".
    pub description: String,
    /// What to know and back up before starting, or "".
    pub warning: String,
}

/// A get-help end: the steps tried, for the summary.
#[derive(Debug, Clone, Serialize)]
pub struct HelpEnd {
    /// The panel's anchor.
    pub anchor: String,
    /// The steps tried, in order.
    pub tried: Vec<TriedStep>,
    /// Their fix ids, space-separated (`data-tried`).
    pub tried_slugs: String,
    /// True when every step of the track was tried.
    pub after_all: bool,
}

/// A step tried, for a summary.
#[derive(Debug, Clone, Serialize)]
pub struct TriedStep {
    /// 1-based.
    pub number: usize,
    /// The fix's title.
    pub title: String,
}

impl Site<'_> {
    /// Whether the article at `index` has a guide (it has fixes).
    pub(super) fn has_guide(&self, index: usize) -> bool {
        !self.graph.article_fixes[index].is_empty()
    }

    /// The guide of the article at `index`.
    pub(super) fn article_guide(&self, index: usize, canonical: &str) -> ArticleGuideContext {
        let article = &self.library.articles[index];
        let mut fixes = self.graph.article_fixes[index].clone();
        // Safest first, keeping the article's order within a risk level.
        fixes.sort_by_key(|&i| self.library.fixes[i].risk.value);
        let keys: Vec<Option<&str>> = if article.platforms.is_empty() {
            vec![None]
        } else {
            article
                .platforms
                .iter()
                .map(|p| Some(p.value.as_str()))
                .collect()
        };
        let tracks: Vec<Track> = keys.iter().map(|key| self.track(*key, &fixes)).collect();
        let choose = if tracks.len() > 1 {
            tracks
                .iter()
                .map(|t| TrackStart {
                    platform: t.platform.clone(),
                    first: t.first.clone(),
                    total: t.total,
                })
                .collect()
        } else {
            Vec::new()
        };
        ArticleGuideContext {
            slug: article.slug.clone(),
            title: article.title.clone(),
            article_url: self
                .config
                .url(&crate::content::Kind::Article.page_path(&article.slug)),
            description: self.article_description(index, article),
            choose,
            tracks,
            get_help: article.get_help.as_ref().map(|h| GetHelpContext {
                when: h.when.clone(),
                prepare: h.prepare.clone(),
            }),
            related: article
                .related
                .iter()
                .filter_map(|r| {
                    super::pages::position(&self.library.articles, &r.value, |a| &a.slug)
                })
                .filter(|&i| i != index)
                .map(|i| self.article_refs[i].clone())
                .collect(),
            canonical: canonical.to_owned(),
        }
    }

    /// One platform's track through `fixes` (indices, safest first).
    fn track(&self, key: Option<&str>, fixes: &[usize]) -> Track {
        let prefix = key.unwrap_or("all");
        let applies: Vec<usize> = fixes
            .iter()
            .copied()
            .filter(|&i| {
                key.is_none_or(|key| {
                    self.library.fixes[i]
                        .platforms
                        .iter()
                        .any(|p| p.value == key)
                })
            })
            .collect();
        let total = applies.len();
        let help_anchor = |tried: usize| format!("{prefix}-help-{tried}");
        let entry = |number: usize| {
            let fix = &self.library.fixes[applies[number - 1]];
            if fix.risk.value == Risk::High {
                format!("{prefix}-{number}-ready")
            } else {
                format!("{prefix}-{number}")
            }
        };
        let mut tried_so_far: Vec<&str> = Vec::new();
        let mut steps = Vec::with_capacity(total);
        let mut help_points = vec![total];
        for (n, &i) in applies.iter().enumerate() {
            let number = n + 1;
            let fix = &self.library.fixes[i];
            let card = &self.fix_cards[i];
            let high = fix.risk.value == Risk::High;
            if high {
                help_points.push(n);
            }
            steps.push(GuideStep {
                number,
                anchor: format!("{prefix}-{number}"),
                stop: if high { entry(number) } else { String::new() },
                worked: format!("{prefix}-{number}-worked"),
                next: if number < total {
                    entry(number + 1)
                } else {
                    help_anchor(total)
                },
                help_instead: help_anchor(n),
                fix: StepFix {
                    slug: fix.slug.clone(),
                    title: fix.title.clone(),
                    url: card.url.clone(),
                    risk: card.risk,
                    risk_label: card.risk_label,
                    duration: card.duration.clone(),
                    description: card.description.clone(),
                    warning: card.warning.clone(),
                },
                content: self.step_html(i, key),
                tried_before: tried_so_far.join(" "),
            });
            tried_so_far.push(&fix.slug);
        }
        help_points.sort_unstable();
        help_points.dedup();
        let help = help_points
            .into_iter()
            .map(|tried| HelpEnd {
                anchor: help_anchor(tried),
                tried: steps[..tried]
                    .iter()
                    .map(|s| TriedStep {
                        number: s.number,
                        title: s.fix.title.clone(),
                    })
                    .collect(),
                tried_slugs: tried_so_far[..tried].join(" "),
                after_all: tried == total,
            })
            .collect();
        Track {
            platform: key.map(|k| self.platform_ref(k)).unwrap_or_default(),
            first: if total == 0 { help_anchor(0) } else { entry(1) },
            total,
            steps,
            help,
        }
    }

    /// The steps of the fix at `fix` for one platform, made once per build and platform
    /// however many articles use the fix.
    fn step_html(&self, fix: usize, key: Option<&str>) -> String {
        let slot = key.map_or(0, |key| {
            self.config
                .platforms
                .iter()
                .position(|p| p.key == key)
                .map_or(usize::MAX, |i| i + 1)
        });
        match self.guide_steps.get(fix).and_then(|slots| slots.get(slot)) {
            Some(cell) => cell
                .get_or_init(|| guide_steps::platform_steps(&self.fix_cards[fix].content, key))
                .clone(),
            None => guide_steps::platform_steps(&self.fix_cards[fix].content, key),
        }
    }
}

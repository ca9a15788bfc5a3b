//! Pagination: cutting a list of articles into pages, and the pager a page shows.

use super::Site;
use super::context::{Pager, PagerLink};
use super::theme::Theme;
use crate::diagnostic::Diagnostic;

/// The folder of page `page` of a list whose first page lives in `dir` (`articles/`):
/// `articles/` itself for the first, `articles/page/2/` and so on for the others.
pub fn page_dir(dir: &str, page: usize) -> String {
    if page <= 1 {
        dir.to_owned()
    } else {
        format!("{dir}page/{page}/")
    }
}

/// How many pages a list of `len` items takes at `per_page` items a page (at least one).
pub fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// The items of page `page` (from 1) of `items`.
pub fn page_items<T>(items: &[T], page: usize, per_page: usize) -> &[T] {
    let per_page = per_page.max(1);
    let start = page
        .saturating_sub(1)
        .saturating_mul(per_page)
        .min(items.len());
    let end = start.saturating_add(per_page).min(items.len());
    &items[start..end]
}

impl Site<'_> {
    /// Page `number` of a list of articles whose first page is at `dir`: the pager and the
    /// page's entries. Numbers past the end give an empty page.
    pub(super) fn paged(
        &self,
        theme: &Theme,
        dir: &str,
        members: &[usize],
        number: usize,
    ) -> Result<(Pager, Vec<tera::Value>), Diagnostic> {
        let per_page = self.config.paginate_by;
        let total = page_count(members.len(), per_page);
        let shown = page_items(members, number, per_page);
        let url = |n: usize| self.config.url(&page_dir(dir, n));
        let mut pages = Vec::new();
        let mut last = 0;
        for n in 1..=total {
            if n == 1 || n == total || n.abs_diff(number) <= 2 {
                pages.push(PagerLink {
                    number: n,
                    url: url(n),
                    current: n == number,
                    gap: n > last + 1,
                });
                last = n;
            }
        }
        let first_item = (number.saturating_sub(1) * per_page + 1).min(members.len());
        let pager = Pager {
            current: number,
            total,
            items: members.len(),
            first_item,
            last_item: first_item + shown.len().saturating_sub(1),
            prev: if number > 1 {
                url(number - 1)
            } else {
                String::new()
            },
            next: if number < total {
                url(number + 1)
            } else {
                String::new()
            },
            pages,
        };
        let entries = shown
            .iter()
            .map(|&i| self.article_value(theme, i))
            .collect::<Result<_, _>>()?;
        Ok((pager, entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_a_list_into_full_pages_and_a_rest() {
        let items: Vec<usize> = (0..7).collect();
        assert_eq!(page_count(items.len(), 3), 3);
        assert_eq!(page_items(&items, 1, 3), &[0, 1, 2]);
        assert_eq!(page_items(&items, 3, 3), &[6]);
        assert!(page_items(&items, 4, 3).is_empty());
        assert_eq!(page_count(0, 3), 1);
        assert_eq!(page_count(6, 3), 2);
    }
}

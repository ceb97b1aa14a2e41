//! Splitting long lists into pages, in the GOV.UK pagination pattern.

use serde::Serialize;

/// How many items a listing page holds.
pub const PER_PAGE: usize = 50;

/// The links under a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages there are.
    pub total: usize,
    /// The page before, if any.
    pub previous_url: Option<String>,
    /// The page after, if any.
    pub next_url: Option<String>,
    /// The numbered links, with gaps.
    pub pages: Vec<PageLink>,
}

/// One numbered link, or a gap.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page's number (0 for a gap).
    pub number: usize,
    /// Its address (none for a gap).
    pub url: Option<String>,
    /// Whether it is the page shown.
    pub current: bool,
    /// Whether it stands for skipped numbers.
    pub ellipsis: bool,
}

/// How many pages `items` items take (at least one, so an empty list has a page).
pub fn page_count(items: usize) -> usize {
    items.div_ceil(PER_PAGE).max(1)
}

/// The address of page `number` of the list at `base` (`/profiles/`).
pub fn page_url(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The range of items on page `number`.
pub fn page_range(items: usize, number: usize) -> std::ops::Range<usize> {
    let start = ((number - 1) * PER_PAGE).min(items);
    start..(start + PER_PAGE).min(items)
}

/// The pagination of page `current` of `total`, or `None` when there is one page.
pub fn pagination(base: &str, current: usize, total: usize) -> Option<Pagination> {
    if total <= 1 {
        return None;
    }
    // First, last, and the current page with its neighbours; gaps between.
    let mut pages = Vec::new();
    let mut last_shown = 0;
    for number in 1..=total {
        let shown = number == 1 || number == total || number.abs_diff(current) <= 1;
        if !shown {
            continue;
        }
        if number > last_shown + 1 {
            pages.push(PageLink {
                number: 0,
                url: None,
                current: false,
                ellipsis: true,
            });
        }
        pages.push(PageLink {
            number,
            url: Some(page_url(base, number)),
            current: number == current,
            ellipsis: false,
        });
        last_shown = number;
    }
    Some(Pagination {
        current,
        total,
        previous_url: (current > 1).then(|| page_url(base, current - 1)),
        next_url: (current < total).then(|| page_url(base, current + 1)),
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_gaps() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(50), 1);
        assert_eq!(page_count(51), 2);
        assert_eq!(page_range(120, 3), 100..120);
        let p = pagination("/profiles/", 5, 9).expect("several pages");
        let shown: Vec<String> = p
            .pages
            .iter()
            .map(|l| {
                if l.ellipsis {
                    "…".into()
                } else {
                    l.number.to_string()
                }
            })
            .collect();
        assert_eq!(shown, ["1", "…", "4", "5", "6", "…", "9"]);
        assert_eq!(p.previous_url.as_deref(), Some("/profiles/page/4/"));
        assert_eq!(p.pages[0].url.as_deref(), Some("/profiles/"));
        assert!(pagination("/profiles/", 1, 1).is_none());
    }
}

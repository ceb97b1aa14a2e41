//! `sitemap.xml` (split into files of 50,000 addresses under a sitemap index
//! when the site is bigger, as the protocol requires) and `robots.txt`.

use std::path::PathBuf;

use crate::escape::markup;

/// Addresses per sitemap file: the protocol's limit.
pub const MAX_URLS: usize = 50_000;

fn urlset(base: &str, paths: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            markup(&format!("{base}{path}"))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The sitemap files and robots.txt for pages at `paths` (site-relative).
/// An internal build asks robots to keep out and lists nothing.
pub fn files(base_url: &str, paths: &[String], internal: bool) -> Vec<(PathBuf, String)> {
    let base = base_url.trim_end_matches('/');
    if internal {
        return vec![(
            PathBuf::from("robots.txt"),
            "User-agent: *\nDisallow: /\n".to_string(),
        )];
    }
    let mut files = vec![(
        PathBuf::from("robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"),
    )];
    if paths.len() <= MAX_URLS {
        files.push((PathBuf::from("sitemap.xml"), urlset(base, paths)));
        return files;
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in paths.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            markup(&format!("{base}/{name}"))
        ));
        files.push((PathBuf::from(name), urlset(base, chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push((PathBuf::from("sitemap.xml"), index));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_sites_get_a_sitemap_index() {
        let paths: Vec<String> = (0..MAX_URLS + 3)
            .map(|i| format!("/profiles/p{i}/"))
            .collect();
        let files = files("https://d.example.gov.uk", &paths, false);
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "robots.txt",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap.xml"
            ]
        );
        assert!(files[3].1.contains("<sitemapindex"));
        assert_eq!(files[2].1.matches("<url>").count(), 3);
    }
}

//! The browse bundle: catalog, "how it works" and the 404 page, adopted as pre-rendered (see
//! `pages::catalog`): no router and no renderer, so the catalog's first load stays small.

fn main() {
    senior_leap::pages::catalog::start();
}

//! Serde views for rendering (filled in by the page issue).

//! Capabilities and Core annotations: what a path may do (insert, update, delete, read, query
//! options), its permissions and documentation.

use super::*;

impl<'a> Lower<'a> {
    pub(super) fn restriction(
        &self,
        target: &str,
        term: &str,
        allowed_prop: &str,
        kind: &str,
    ) -> Restriction {
        let mut r = Restriction {
            allowed: true,
            ..Restriction::default()
        };
        if let Some(a) = self.find_ann(target, "Capabilities", term) {
            self.read_restriction_record(&a.value, allowed_prop, &mut r);
        }
        r.docs_link = self.docs_link(target, kind);
        r
    }

    /// A documentation link for one kind of request (`list`, `get`, `create`, `update`,
    /// `delete`, `action`, `function`): Graph annotates targets with `Core.Links` records whose
    /// `rel` ends in `/docs/<kind>`.
    pub(super) fn docs_link(&self, target: &str, kind: &str) -> Option<String> {
        let links = self.find_ann(target, "Core", "Links")?;
        let Value::Collection(items) = &links.value else {
            return None;
        };
        let suffix = format!("/docs/{kind}");
        items.iter().find_map(|l| {
            let rel = l.property("rel").and_then(Value::as_str)?;
            if rel.ends_with(&suffix) {
                l.property("href")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            } else {
                None
            }
        })
    }

    pub(super) fn read_restriction_record(
        &self,
        record: &Value,
        allowed_prop: &str,
        r: &mut Restriction,
    ) {
        if let Some(b) = record.property(allowed_prop).and_then(Value::as_bool) {
            r.allowed = b;
        }
        r.summary = record
            .property("Description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        r.description = record
            .property("LongDescription")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(Value::Collection(perms)) = record.property("Permissions") {
            for p in perms {
                let scheme = p
                    .property("SchemeName")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let mut scopes = Vec::new();
                if let Some(Value::Collection(ss)) = p.property("Scopes") {
                    for s in ss {
                        if let Some(scope) = s.property("Scope").and_then(Value::as_str) {
                            scopes.push(scope.to_owned());
                        }
                    }
                }
                if !scopes.is_empty() {
                    r.permissions.push(Permission { scheme, scopes });
                }
            }
        }
    }

    /// Read restrictions for a collection and for reading one entity by key.
    pub(super) fn read_restrictions(&self, target: &str) -> (Restriction, Restriction) {
        let mut list = Restriction {
            allowed: true,
            ..Restriction::default()
        };
        let mut by_key = list.clone();
        if let Some(a) = self.find_ann(target, "Capabilities", "ReadRestrictions") {
            self.read_restriction_record(&a.value, "Readable", &mut list);
            by_key.allowed = list.allowed;
            if let Some(rk) = a.value.property("ReadByKeyRestrictions") {
                self.read_restriction_record(rk, "Readable", &mut by_key);
            }
        }
        list.docs_link = self.docs_link(target, "list");
        by_key.docs_link = self.docs_link(target, "get");
        (list, by_key)
    }

    pub(super) fn bool_capability(&self, target: &str, term: &str, prop: Option<&str>) -> bool {
        match self.find_ann(target, "Capabilities", term) {
            None => true,
            Some(a) => match prop {
                None => a.value.as_bool().unwrap_or(true),
                Some(p) => a.value.property(p).and_then(Value::as_bool).unwrap_or(true),
            },
        }
    }

    pub(super) fn collection_options(&self, target: &str) -> ODataOptions {
        ODataOptions {
            select: self.bool_capability(target, "SelectSupport", Some("Supported")),
            expand: self.bool_capability(target, "ExpandRestrictions", Some("Expandable")),
            filter: self.bool_capability(target, "FilterRestrictions", Some("Filterable")),
            orderby: self.bool_capability(target, "SortRestrictions", Some("Sortable")),
            top: self.bool_capability(target, "TopSupported", None),
            skip: self.bool_capability(target, "SkipSupported", None),
            count: self.bool_capability(target, "CountRestrictions", Some("Countable")),
            search: self.bool_capability(target, "SearchRestrictions", Some("Searchable")),
        }
    }

    pub(super) fn navigable(&self, target: &str) -> bool {
        match self.find_ann(target, "Capabilities", "NavigationRestrictions") {
            Some(a) => !a
                .value
                .property("Navigability")
                .and_then(Value::as_str)
                .is_some_and(|n| n.ends_with("/None")),
            None => true,
        }
    }
}

/// A capability restriction record that applies to one kind of request.
#[derive(Default, Clone)]
pub(super) struct Restriction {
    pub(super) allowed: bool,
    pub(super) summary: Option<String>,
    pub(super) description: Option<String>,
    pub(super) permissions: Vec<Permission>,
    /// Documentation link (Graph's `Core.Links` with a `.../docs/<kind>` rel).
    pub(super) docs_link: Option<String>,
}

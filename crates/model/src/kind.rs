//! Component kinds and group kinds (language.md, "Component kinds").

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Client,
    Dns,
    Cdn,
    Lb,
    Gateway,
    Service,
    Worker,
    Cache,
    Database,
    Blob,
    Queue,
    Search,
    Coordinator,
    External,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Client,
        Kind::Dns,
        Kind::Cdn,
        Kind::Lb,
        Kind::Gateway,
        Kind::Service,
        Kind::Worker,
        Kind::Cache,
        Kind::Database,
        Kind::Blob,
        Kind::Queue,
        Kind::Search,
        Kind::Coordinator,
        Kind::External,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Client => "client",
            Kind::Dns => "dns",
            Kind::Cdn => "cdn",
            Kind::Lb => "lb",
            Kind::Gateway => "gateway",
            Kind::Service => "service",
            Kind::Worker => "worker",
            Kind::Cache => "cache",
            Kind::Database => "database",
            Kind::Blob => "blob",
            Kind::Queue => "queue",
            Kind::Search => "search",
            Kind::Coordinator => "coordinator",
            Kind::External => "external",
        }
    }

    pub fn parse(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// "a" or "an", for messages.
    pub fn article(self) -> &'static str {
        match self {
            Kind::External => "an",
            _ => "a",
        }
    }

    /// Callers call each dependency a request needs (capacity.md's sender table).
    pub fn is_caller(self) -> bool {
        matches!(
            self,
            Kind::Client | Kind::Service | Kind::Worker | Kind::External
        )
    }

    /// Data components hold state (rules.md, "Words used").
    pub fn is_data(self) -> bool {
        matches!(
            self,
            Kind::Database
                | Kind::Cache
                | Kind::Queue
                | Kind::Blob
                | Kind::Search
                | Kind::Coordinator
        )
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `region` and `zone` are placement; `group` is a plain boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupKind {
    Region,
    Zone,
    Group,
}

impl GroupKind {
    pub const ALL: [GroupKind; 3] = [GroupKind::Region, GroupKind::Zone, GroupKind::Group];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Region => "region",
            GroupKind::Zone => "zone",
            GroupKind::Group => "group",
        }
    }

    pub fn parse(word: &str) -> Option<GroupKind> {
        GroupKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

//! The group tree: which group holds which. Every phase walks it (a vertex's groups up
//! to the root, a scope's child groups, groups deepest first), and walks it here.
//!
//! Per-scope tables (the order's gaps, the packing's widths) have one entry per group
//! and one more for the whole drawing, the root, after them: a scope is that index.

use super::GroupSpec;

/// What a scope index stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole drawing.
    Root,
    Group(usize),
}

pub struct GroupTree {
    parent: Vec<Option<usize>>,
    /// Per scope: its child groups, in input order.
    children: Vec<Vec<usize>>,
    /// Per group: how many groups hold it.
    depth: Vec<usize>,
}

impl GroupTree {
    pub fn new(groups: &[GroupSpec]) -> GroupTree {
        let parent: Vec<Option<usize>> = groups.iter().map(|g| g.parent).collect();
        let root = groups.len();
        let mut children = vec![Vec::new(); root + 1];
        for (g, up) in parent.iter().enumerate() {
            children[up.unwrap_or(root)].push(g);
        }
        // Top-down from the root, so a depth is known before its children's (a child's
        // index is not ordered against its parent's).
        let mut depth = vec![0; root];
        let mut stack: Vec<(usize, usize)> = children[root].iter().map(|&g| (g, 0)).collect();
        while let Some((g, d)) = stack.pop() {
            depth[g] = d;
            stack.extend(children[g].iter().map(|&c| (c, d + 1)));
        }
        GroupTree {
            parent,
            children,
            depth,
        }
    }

    /// The number of groups (the root not counted).
    pub fn groups(&self) -> usize {
        self.parent.len()
    }

    /// The index of the root scope.
    pub fn root(&self) -> usize {
        self.parent.len()
    }

    /// The number of scopes: every group and the root.
    pub fn scopes(&self) -> usize {
        self.parent.len() + 1
    }

    pub fn scope(&self, index: usize) -> Scope {
        if index == self.root() {
            Scope::Root
        } else {
            Scope::Group(index)
        }
    }

    /// The scope a vertex of `group` is laid out in.
    pub fn scope_of(&self, group: Option<usize>) -> usize {
        group.unwrap_or(self.root())
    }

    pub fn parent(&self, group: usize) -> Option<usize> {
        self.parent[group]
    }

    /// The scope holding `group`: its parent, or the root.
    pub fn parent_scope(&self, group: usize) -> usize {
        self.scope_of(self.parent[group])
    }

    /// A scope's child groups, in input order.
    pub fn children(&self, scope: usize) -> &[usize] {
        &self.children[scope]
    }

    /// `group` and every group holding it, innermost first (none for `None`).
    pub fn ancestors(&self, group: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(group, |&g| self.parent[g])
    }

    /// The scopes holding a vertex of `group`: its groups innermost first, then the root.
    pub fn enclosing_scopes(&self, group: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        self.ancestors(group).chain(std::iter::once(self.root()))
    }

    /// Every group, deepest first (a group after all the groups it holds).
    pub fn deepest_first(&self) -> Vec<usize> {
        let mut groups: Vec<usize> = (0..self.groups()).collect();
        groups.sort_by_key(|&g| std::cmp::Reverse(self.depth[g]));
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Size;

    fn tree(parents: &[Option<usize>]) -> GroupTree {
        let label = Size {
            width: 10.0,
            height: 10.0,
        };
        let specs: Vec<GroupSpec> = parents
            .iter()
            .map(|&parent| GroupSpec { parent, label })
            .collect();
        GroupTree::new(&specs)
    }

    /// Group 0 inside group 2 inside group 1: indices out of nesting order.
    #[test]
    fn walks_up_and_down_whatever_the_indices() {
        let tree = tree(&[Some(2), None, Some(1)]);
        assert_eq!(tree.ancestors(Some(0)).collect::<Vec<_>>(), [0, 2, 1]);
        assert_eq!(
            tree.enclosing_scopes(Some(2)).collect::<Vec<_>>(),
            [2, 1, 3]
        );
        assert_eq!(tree.enclosing_scopes(None).collect::<Vec<_>>(), [3]);
        assert_eq!(tree.depth, [2, 0, 1]);
        assert_eq!(tree.deepest_first(), [0, 2, 1]);
        assert_eq!(tree.children(tree.root()), [1]);
        assert_eq!(tree.scope(3), Scope::Root);
        assert_eq!(tree.parent_scope(1), 3);
    }
}

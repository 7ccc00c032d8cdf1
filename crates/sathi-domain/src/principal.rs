//! The authenticated caller of a request, as every store query sees it.

use crate::ids::{GroupId, UserId};
use crate::permissions::{Action, FormAccess, Role, Scope};

/// Who is acting: the user, their agency, their role and their user groups. The store turns
/// this into the scope filter of each query.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    pub agency_id: String,
    pub role: Role,
    pub group_ids: Vec<GroupId>,
}

impl Principal {
    pub fn scope_of(&self, action: Action) -> Option<Scope> {
        self.role.scope_of(action)
    }

    pub fn can(&self, action: Action) -> bool {
        self.role.can(action)
    }

    pub fn form_access(&self, form_id: &str) -> FormAccess {
        self.role.form_access(form_id)
    }
}

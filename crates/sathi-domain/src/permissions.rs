//! Roles, the actions they grant and at which scope, and per-form access.
//!
//! A role is data (`config/roles.json`). The store turns a caller's [`Principal`] into a
//! filter inside every query, so this module only answers questions about roles; it never
//! decides by itself whether one record is visible.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::LocalizedText;

/// Something a role may do with cases or with the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Create,
    Write,
    Assign,
    Refer,
    Transfer,
    Approve,
    Close,
    Reopen,
    Disable,
    Export,
    /// Bring cases in from spreadsheets and other systems: create cases owned by users of the
    /// scope and update cases within it.
    Import,
    /// Receive referrals from other agencies and act on them.
    ReceiveReferrals,
    /// Share a case outside the agency without recorded consent, with a logged reason.
    OverrideConsent,
    /// See aggregate figures; never names or records.
    ViewAggregates,
    ViewAuditLog,
    ManageUsers,
    ManageConfiguration,
}

/// How far an action reaches, from narrowest to widest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Cases the user owns or is assigned to.
    Own,
    /// Cases owned by members of the user's user groups.
    Group,
    /// Cases owned by the user's agency.
    Agency,
    /// Every case of the deployment.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub action: Action,
    pub scope: Scope,
}

/// Access a role has to one form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormAccess {
    None,
    Read,
    ReadWrite,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub grants: Vec<Grant>,
    /// Access per form id; the key `*` sets the access for forms not listed.
    pub forms: BTreeMap<String, FormAccess>,
}

impl Role {
    /// Returns the widest scope at which this role grants `action`, if any.
    pub fn scope_of(&self, action: Action) -> Option<Scope> {
        self.grants.iter().filter(|grant| grant.action == action).map(|grant| grant.scope).max()
    }

    pub fn can(&self, action: Action) -> bool {
        self.scope_of(action).is_some()
    }

    pub fn form_access(&self, form_id: &str) -> FormAccess {
        self.forms.get(form_id).or_else(|| self.forms.get("*")).copied().unwrap_or(FormAccess::None)
    }
}

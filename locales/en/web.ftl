# Screens of the web client, English. Every id here must exist in every other locale too.

app-name = Sathi
app-tagline = Child protection case management

## Login and vault

login-title = Log in
login-username = User name
login-password = Password
login-language = Language
login-submit = Log in
login-working = Logging in…
login-offline-note = You are offline. You can log in with the password you last used on this phone.
login-offline-no-vault = This phone has no saved data for this user yet. Connect to the internet for the first login.
login-wrong-password = The user name or password is wrong.
login-locked = Too many wrong passwords on this phone. Try again after { $minutes } minutes.
logout = Log out
logout-pending = { $count ->
    [one] One change is not sent yet. It stays safely on this phone and is sent when you log in again.
   *[other] { $count } changes are not sent yet. They stay safely on this phone and are sent when you log in again.
}

## Navigation

nav-my-cases = My cases
nav-new-case = Register a child
nav-settings = Settings
nav-back = Back

## Sync status

sync-online = Online
sync-offline = Offline
sync-all-sent = All changes sent
sync-pending = { $count ->
    [one] 1 change waiting to be sent
   *[other] { $count } changes waiting to be sent
}
sync-last = Last sync { $time }
sync-never = Not synced yet
sync-now = Sync now
sync-working = Syncing…
sync-failed = Could not send: { $reason }
sync-session-ended = Your session on the server has ended. Log in again to send your changes.
case-pending = Not sent yet
case-sent = Sent
cases-more = Showing the first { $shown } of { $count }. Search or filter to find the others.
case-send-error = Not accepted by the server

## Case list

cases-title = My cases
cases-title-all = Cases I can see
cases-no-access = Your role works with aggregate figures, so it opens no case records and keeps none on this device.
cases-count = { $count ->
    [one] 1 case
   *[other] { $count } cases
}
cases-search = Search by name or case id
cases-filter-risk = Risk
cases-filter-status = Status
cases-filter-all = All
cases-sort = Sort
cases-sort-updated = Latest
cases-sort-name = Name
cases-sort-risk = By risk
cases-sort-registered = Newest
cases-empty = No cases match.
cases-no-name = (no name)
cases-flags = { $count ->
    [one] 1 flag
   *[other] { $count } flags
}
case-age = { $age ->
    [one] { $age } year
   *[other] { $age } years
}
case-age-estimated = { $age ->
    [one] about { $age } year
   *[other] about { $age } years
}
status-open = Open
status-closed = Closed

## Case view and forms

case-edit = Edit
case-save = Save
case-saving = Saving…
case-saved = Saved on this phone
case-cancel = Cancel
case-forms = Forms
case-not-found = This case is not on this phone.
case-not-found-why = It may have been reassigned to someone else, a referral may have ended, or your access may have changed. Ask your supervisor if you still need it.
case-register-title = Register a child
case-register-save = Register
case-fix-errors = Some fields need correcting. Nothing was saved.
case-stage = Stage
case-owner = Owner
form-empty = Nothing recorded yet.
field-choose = Choose…
field-yes = Yes
field-no = No
field-add-row = Add
field-remove-row = Remove
field-row = Row { $number }
field-calculated = Calculated
field-attachment-later = Files are added from the case view once attachments are available on this phone.
field-location-camp = Camp
field-location-block = Block
field-not-set = Not set
field-date-placeholder = YYYY-MM-DD
field-today = Today

## Risk levels and stages shown as words beside their colour

risk-high = High risk
risk-medium = Medium risk
risk-low = Low risk
risk-none = Risk not assessed
stage-new = New
stage-assessment = Assessment
stage-case_plan = Case plan
stage-service_provision = Service provision
stage-services_implemented = Services implemented
stage-closed = Closed

## Settings

settings-title = Settings
settings-language = Language
settings-user = Logged in as { $name }
settings-device = Data on this phone is encrypted with your password.

## Errors

error-network = No connection to the server. Your work is saved on this phone.
error-unexpected = Something went wrong: { $detail }

## Sync: case states, progress, conflicts, history, not sent, review, reassignment

nav-conflicts = Conflicts
nav-review = Kept aside
login-account-disabled = { $count ->
    [one] Your account has been disabled. The one change not yet sent went to your supervisor for review, and this phone's copy of your cases was deleted.
   *[other] Your account has been disabled. The { $count } changes not yet sent went to your supervisor for review, and this phone's copy of your cases was deleted.
}
sync-state-synced = Sent
sync-state-pending = Not sent yet
sync-state-conflict = Conflict
sync-state-rejected = Not accepted
sync-downloading = Downloading cases: { $number } of { $count }
sync-attachments = { $count ->
    [one] 1 file waiting to upload
   *[other] { $count } files waiting to upload
}
sync-not-sent-link = { $count ->
    [one] 1 change not accepted
   *[other] { $count } changes not accepted
}
case-changed-on-server = Someone else changed { $detail } on the server too. Your value is kept on this phone; after the next sync both values are shown here for the case owner or supervisor to choose.
case-history = History
case-reassign = Reassign
conflict-title = { $count ->
    [one] A disputed value for { $name }
    [2] Two different values for { $name }
   *[other] { $count } different values for { $name }
}
conflict-intro = { $count ->
    [2] Two people changed this field to different values. Nothing was lost: choose the value to keep.
   *[other] { $count } people changed this field to different values. Nothing was lost: choose the value to keep.
}
conflict-by = By { $name }, { $time }
conflict-device-time = Reported by the device: { $time }
conflict-keep = Keep this value
conflict-keeping = Saving…
conflict-offline = Choosing a value needs a connection to the server. Your phone is offline now.
conflict-read-only = Only the case owner or a supervisor can choose the value.
conflict-empty-value = (empty)
conflicts-title = Conflicts to resolve
conflicts-none = No conflicts. Every change reached the server without one.
conflicts-count = { $count ->
    [one] 1 conflict
   *[other] { $count } conflicts
}
conflicts-open-case = Open case
conflicts-offline = The list of conflicts needs a connection to the server.
history-title = History of changes
history-empty = No changes recorded yet.
history-by = { $name }, at { $time }
history-resolution = Conflict resolved
history-offline = The history needs a connection to the server.
not-sent-title = Changes the server did not accept
not-sent-intro = The server did not accept these changes. They are kept here so you can see what was not saved.
not-sent-none = Every change was accepted.
not-sent-reason = Reason: { $reason }
not-sent-new-case = New case registration
not-sent-dismiss = I have read this, remove it
not-sent-made = Made on this phone: { $time }
review-title = Changes kept aside for review
review-intro = The server did not apply these changes: the account that sent them was disabled, or the case had been transferred away from the sender before they arrived. Apply each one as yourself, or discard it with a reason.
review-kept-account_disabled = Sent from an account that has been disabled.
review-kept-not_owner_since = Sent by the case's former owner after the case was transferred to someone else.
review-none = Nothing is waiting for review.
review-from = From { $name }, received { $time }
review-apply = Apply
review-discard = Discard
review-reason = Reason for discarding
review-reason-required = Write a reason before discarding.
review-done-applied = Applied
review-done-discarded = Discarded
review-offline = Reviewing needs a connection to the server.
reassign-title = Reassign this case
reassign-done = The case was reassigned. It leaves the previous caseworker's phone at their next sync.
reassign-offline = Reassigning needs a connection to the server.

## Photo, audio, document and signature fields

attachment-add-photo = Take or choose a photo
attachment-add-file = Choose a file
attachment-adding = Adding…
attachment-file = File
attachment-open = Open
attachment-download = Download and open
attachment-remove = Remove
attachment-state-waiting = Waiting to upload
attachment-state-uploading = Uploading { $number }%
attachment-state-verified = Uploaded and checked
attachment-state-not-on-device = On the server, not on this phone yet
attachment-too-large = This file is too large. The largest file allowed is { $number } MB.
attachment-add-failed = The file could not be added. Try another file.
attachment-open-failed = The file could not be opened. Connect to the internet and try again.

## Sync follow-ups: withdrawing changes, messages of failures, disabled accounts, navigation,
## choosing a caseworker to reassign to, conflict resolutions in the history

case-withdraw = Withdraw unsent changes
case-withdraw-confirm = { $count ->
    [one] Withdraw the change to this case that is not sent yet? The case goes back to the values it had before.
   *[other] Withdraw the { $count } changes to this case that are not sent yet? The case goes back to the values it had before.
}
case-withdraw-confirm-new = Withdraw the registration of this child? It was never sent, so the case is removed from this phone.
case-withdraw-yes = Withdraw
case-withdraw-no = Keep my changes
error-server = The server could not complete this. Nothing was lost. Try again later.
error-rejected = The server did not accept this, so nothing was changed.
error-storage-full = This phone's storage is full, so nothing was saved. Free some space and try again.
error-on-device = Something went wrong on this phone. Your saved work is kept. Try again, and tell your supervisor if it keeps happening.
login-account-disabled-kept = { $count ->
    [one] Your account has been disabled. One change is not sent yet and is still on this phone, locked with your password. Do not delete the app or its data. Tell your supervisor: an administrator can enable your account for a short time so that this phone sends it.
   *[other] Your account has been disabled. { $count } changes are not sent yet and are still on this phone, locked with your password. Do not delete the app or its data. Tell your supervisor: an administrator can enable your account for a short time so that this phone sends them.
}
login-account-disabled-nothing-kept = Your account has been disabled, so this phone can no longer sync. Tell your supervisor if you still need access.
login-account-disabled-files-kept = { $files ->
    [one] Your account has been disabled. One file (a photo, recording or document) is not uploaded yet and is still on this phone, locked with your password. Do not delete the app or its data. Tell your supervisor: an administrator can enable your account for a short time so that this phone uploads it.
   *[other] Your account has been disabled. { $files } files (photos, recordings or documents) are not uploaded yet and are still on this phone, locked with your password. Do not delete the app or its data. Tell your supervisor: an administrator can enable your account for a short time so that this phone uploads them.
}
login-account-disabled-kept-with-files = Your account has been disabled. { $count ->
    [one] One change
   *[other] { $count } changes
} and { $files ->
    [one] one file (a photo, recording or document)
   *[other] { $files } files (photos, recordings or documents)
} are not sent yet and are still on this phone, locked with your password. Do not delete the app or its data. Tell your supervisor: an administrator can enable your account for a short time so that this phone sends them.
login-unsent-on-phone = { $count ->
    [one] One change by this user is not sent yet and is still on this phone. If the account was disabled, tell your supervisor so that it can be recovered.
   *[other] { $count } changes by this user are not sent yet and are still on this phone. If the account was disabled, tell your supervisor so that they can be recovered.
}
nav-main = Main menu
nav-cases-short = Cases
nav-new-short = Register
nav-conflicts-short = Conflicts
nav-review-short = Kept aside
nav-settings-short = Settings
nav-conflicts-count = { $count ->
    [one] Conflicts, 1 to resolve
   *[other] Conflicts, { $count } to resolve
}
reassign-choose = Choose the new caseworker
reassign-search = Search by name or user name
reassign-loading = Loading the caseworkers of your agency…
reassign-none = No other user of your agency can take this case.
reassign-no-match = No one matches this search.
reassign-current = Current caseworker
reassign-to-user = Reassign to { $name }
reassign-change = Choose someone else
history-resolution-kept = Conflict resolved: kept { $value }

## Disabled accounts: what happened to this phone's data

login-account-disabled-nothing-sent = Your account has been disabled. Every change had already reached the server, and this phone's copy of your cases was deleted.
error-account-disabled-sending = Your account has been disabled. This phone is sending its unsent changes to your supervisor now.

## Sync bar: a server that does not answer, and a download that stopped

sync-unreachable = Could not reach the server, retrying
sync-download-incomplete = Downloaded { $number } of { $count } cases; continuing when the connection returns

## Conflict cards: who made each value, which one the case holds, disputed fields

conflict-intro-one-user = { $count ->
    [2] This field has two values, both from the same user. Nothing was lost: choose the value to keep.
   *[other] This field has { $count } values, all from the same user. Nothing was lost: choose the value to keep.
}
conflict-current-value = Current value in the case
conflict-your-value = Your value
conflict-unknown-user = another user
conflict-settled-elsewhere = Someone else already settled this field: { $name }. Your choice was not saved. The case now holds:
conflict-settled-elsewhere-not-refreshed = Someone else already settled this field, so your choice was not saved. The case shows the value it now holds after the next sync.
case-field-disputed = Disputed: see the values above

## Changes not accepted: what to do next

not-sent-enter-again = If this change is still right, open the case and enter it again.
not-sent-case-gone = This case is no longer on this phone: it was given to another caseworker, or you can no longer see it. If the change is still needed, tell your supervisor.
not-sent-registration-gone = This registration was not saved on the server, so the case is no longer on this phone. The values are below. Ask your supervisor how to register this child.

## Kept-aside review: the case and its current values

review-current-value = Now in the case:
review-case-not-on-phone = A case that is not on this phone

## Tasks, approvals, notifications

stage-reopened = Reopened
nav-tasks = My tasks
nav-tasks-short = Tasks
nav-tasks-count = { $count ->
    [one] Tasks, { $count } due today or overdue
   *[other] Tasks, { $count } due today or overdue
}
nav-notifications = Notifications
nav-notifications-short = Alerts
nav-notifications-count = { $count ->
    [one] Notifications, { $count } unread
   *[other] Notifications, { $count } unread
}
tasks-title = My tasks
tasks-today = Today is { $date }.
tasks-none = Nothing is due this week. New tasks appear here when you save a case or after a sync.
tasks-overdue = Overdue
tasks-due-today = Today
tasks-this-week = This week
tasks-was-due = Was due { $date }
tasks-due-on = Due { $date }
tasks-due-on-today = Due today
tasks-waiting = Waiting for your answer
tasks-child-hidden = Child's name not shared with you
tasks-server-not-yet = Approvals and referrals to answer appear after the first sync.
tasks-summary = Tasks by section
tasks-show-all = Show all { $count }
tasks-later = Later
tasks-show-later = Show later ({ $count })
tasks-approvals-link = { $count ->
    [one] Approvals to decide: { $count }
   *[other] Approvals to decide: { $count }
}
task-assessment = Assessment due
task-case_plan = Case plan due
task-service = Service due
task-follow_up = Follow-up visit due
task-approval = Decide on a request for approval
task-approval-assessment = Approve the assessment
task-approval-case_plan = Approve the case plan
task-approval-closure = Approve closing the case
task-referral = Answer a referral
task-referral_service = Record the referred service
task-transfer = Answer a transfer
task-approval_rejected = Not approved: change and ask again
task-approval_rejected-assessment = Assessment not approved: change it and ask again
task-approval_rejected-case_plan = Case plan not approved: change it and ask again
task-approval_rejected-closure = Closure not approved: read the comment
approval-title-assessment = Assessment
approval-title-case_plan = Case plan
approval-title-closure = Closing the case
approval-status-pending = Waiting for approval
approval-status-approved = Approved
approval-status-rejected = Not approved
approval-status-withdrawn = Withdrawn
approvals-title = Approvals
approvals-offline = The phone is offline. You can read the requests, but approving or rejecting needs a connection.
approvals-none = No request is waiting for a decision.
approvals-mine = Your requests
approvals-requested-by = Asked by { $name }, { $time }
approvals-comment = Comment
approvals-comment-hint = Needed when you do not approve: say what must change.
approvals-approve = Approve
approvals-reject = Do not approve
approvals-withdraw = Withdraw the request
approvals-reject-needs-comment = Write a comment that says what must change, then choose Do not approve.
approvals-done-approve = Approved: { $name }.
approvals-done-reject = Not approved: { $name }. The caseworker sees your comment in their tasks.
approvals-done-withdraw = Request withdrawn: { $name }.
approvals-state-changed = Someone else decided on this request first ({ $name }). The list is being updated.
case-approvals-title = Approvals
case-approval-request-assessment = Ask for approval of the assessment
case-approval-request-case_plan = Ask for approval of the case plan
case-approval-request-closure = Ask for approval to close the case
case-approval-comment = Comment for the supervisor (optional)
case-approval-waiting-to-send = Waiting to be sent
case-approval-not-sent = not sent. { $reason }
case-approval-by = By { $name }, { $time }
case-close = Close the case
case-close-hint = First give the reason in the Closure form; then ask your supervisor to approve.
case-reopen = Reopen the case
case-reopen-reason = Why is the case reopened?
case-reopen-offline = Reopening needs a connection. Try again when the phone is online.
flags-title = Flags
flags-add = Add a flag
flags-text = Flag
flags-text-hint = A short warning for everyone who works on this case, such as "Do not contact the uncle".
flags-by = Added by { $name }, { $time }
flags-remove = Remove the flag
flags-remove-reason = Why is the flag removed?
flags-cancel = Cancel
flags-offline = Flags need a connection. Try again when the phone is online.
notifications-title = Notifications
notifications-read-all = Mark all as read
notifications-unread = { $count ->
    [one] { $count } unread
   *[other] { $count } unread
}
notifications-all-read = All read.
notifications-none = No notifications yet.
notifications-new = New
not-sent-action-approval = Request for approval
not-sent-action-referral = Referral
not-sent-action-transfer = Transfer
not-sent-action-transfer_request = Request for the case

## Referrals and transfers

nav-referrals = Referrals and transfers
nav-referrals-short = Referrals
sharing-title = Sharing
sharing-refer = Refer for a service
sharing-transfer-case = Transfer this case
sharing-ask-for-case = Ask to take over this case
sharing-none = This case has not been referred or transferred.
sharing-offline = The referrals and transfers of this case show when the phone is online.
sharing-waiting-to-send = Waiting to send
sharing-not-sent = Not sent: { $reason }
sharing-dismiss = I have read this, remove it
sharing-referral-to = Referral to { $name } for { $detail }
sharing-transfer-to = Transfer to { $name }
sharing-request-sent = Request to take over this case
sharing-transfer = Transfer of the case
sharing-transfer-request = Request to take over the case
sharing-from = From { $name }, { $detail }
sharing-to-person = To { $name }, { $detail }
sharing-to-agency = To { $name }
sharing-form-not-shared = This form was not shared with you. Only the forms chosen by the person who referred the case are shown.
consent-recorded = Consent to share information with other organisations is recorded in this case.
consent-not-recorded = This case does not record consent to share information with other organisations.
consent-internal = The recipient works in the case's own agency, so consent for sharing is not needed.
consent-blocked = This case can go to another organisation only after consent for sharing is recorded. Record consent first.
consent-record-first = Open the consent form
consent-override-warning = You may share without consent only when the child's safety or best interests require it. Write why: your reason is kept in the audit log with your name.
consent-override-reason = Reason for sharing without consent
consent-override-reason-missing = Write the reason for sharing without consent.
refer-title = Refer { $name }
refer-offline = The phone is offline. The referral is saved on this phone and sent at the next sync.
refer-service = Service needed
refer-choose-service = Choose a service
refer-service-missing = Choose the service the child needs.
refer-loading = Loading the agencies…
refer-agency = Agency
refer-agency-missing = Choose the agency to refer to.
refer-provides = Provides this service
refer-not-listed = Does not list this service
refer-other-agencies = Agencies that do not list this service ({ $count })
refer-change-agency = Choose another agency
refer-person-hint = You may send the referral to one person, or to anyone at the agency who receives referrals.
refer-anyone = Anyone at { $name } who receives referrals
refer-no-receivers = No one at this agency can receive referrals in Sathi, so the referral cannot be sent there. Choose another agency, or ask that agency's administrator to give a user this role.
refer-person-offline = Offline, a referral goes to the agency. Anyone there who receives referrals can answer it.
refer-forms = Forms the recipient may read
refer-forms-hint = The recipient sees only the forms ticked here. { $name } is always shared, so they know whose case it is.
refer-forms-not-offered = Not offered, because the recipient's role cannot read these forms:
refer-note = Note for the recipient
refer-note-hint = What the child needs and anything the recipient should know first. Do not repeat what the shared forms say.
refer-send = Send referral
refer-save-offline = Save, send when online
refer-open-existing = Open the referral that is waiting
refer-done-title = Referral
refer-sent = Referral sent to { $name } for { $detail }.
refer-queued = Saved on this phone. It is sent at the next sync; the case shows it as waiting to send until then.
refer-back-to-case = Back to the case
refer-open-sent = Open the referral
referrals-title = Referrals and transfers
referrals-boxes = Incoming or sent
referrals-incoming = Incoming
referrals-sent = Sent
referrals-loading = Loading…
referrals-none-incoming = No referral or transfer is waiting for you.
referrals-none-sent = You have no open referral or transfer.
referrals-offline = The phone is offline. Incoming referrals show after the next sync.
referrals-offline-saved = The phone is offline. These are the open referrals as of { $time }.
referrals-offline-sent = The phone is offline. Sent referrals show when it is online; those made on this phone are listed here.
referrals-closed = Closed ({ $count })
referral-status-pending = Waiting for an answer
referral-status-accepted = Accepted
referral-status-rejected = Rejected
referral-status-done = Done
referral-status-revoked = Revoked
referral-status-ended = Ended
referral-title = Referral for { $name }
referral-loading = Loading…
referral-offline-unknown = This referral is not saved on this phone. Open it again when the phone is online.
referral-gone = This referral is no longer available to you. It may have been revoked or closed.
referral-back = All referrals and transfers
referral-from = From
referral-to = To
referral-to-anyone = Anyone at { $name } who receives referrals
referral-shared-forms = Forms shared
referral-consent = Consent
referral-consent-given = Consent for sharing recorded
referral-consent-internal = Inside the agency, consent not needed
referral-consent-override = Sent without consent, with a reason in the audit log
referral-note = Note
referral-reason = Reason
referral-sent-at = Sent
referral-updated-at = Last change
referral-now = This referral is now: { $value }.
referral-needs-connection = Answering needs a connection to the server.
referral-accept = Accept
referral-reject = Reject
referral-mark-done = Mark as done
referral-revoke = Revoke
referral-end = End referral
referral-keep = Go back
referral-accept-question = Accept this referral? You become responsible for the service, and the case opens on your phone with the shared forms.
referral-reject-question = Reject this referral? The sender sees your reason.
referral-done-question = Mark this referral as done? Your access to the case ends, and it leaves your phone at the next sync.
referral-revoke-question = Revoke this referral? The recipient can no longer open the case.
referral-end-question = End this referral? The recipient can no longer open the case.
referral-reject-reason = Reason
referral-reason-missing = Write the reason.
referral-done-note = What was provided (optional)
referral-end-reason = Reason (optional)
transfers-title = Transfers
transfer-status-pending = Waiting for an answer
transfer-status-accepted = Accepted
transfer-status-rejected = Rejected
transfer-status-revoked = Revoked
transfer-title = Transfer { $name }
transfer-intro = The case moves to the new caseworker when they accept. Until then you remain responsible for it.
transfer-offline = The phone is offline. This is saved on this phone and sent at the next sync.
transfer-agency = Agency
transfer-choose-agency = Choose an agency
transfer-agency-missing = Choose the agency.
transfer-person = Caseworker
transfer-choose-person = Choose a caseworker
transfer-anyone = Anyone at { $name } who may take the case
transfer-person-offline = Choosing a caseworker of your agency needs a connection.
transfer-to-agency-hint = The transfer goes to { $name }. A caseworker there accepts it.
transfer-note = Note for the new caseworker
transfer-send = Send transfer
transfer-sent = Transfer sent to { $name }. You remain responsible for the case until it is accepted.
transfer-request-title = Ask to take over { $name }
transfer-request-intro = The case owner or their supervisor decides. If they accept, the case becomes yours.
transfer-request-note = Why you should take over the case
transfer-request-send = Send request
transfer-request-sent = Request sent. The case owner or their supervisor decides.
transfer-gone = This transfer is no longer available to you.
transfer-now = This transfer is now: { $value }.
transfer-accept = Accept
transfer-reject = Reject
transfer-revoke = Revoke
transfer-accept-question = Accept this transfer? The case becomes yours, with its tasks and follow-ups.
transfer-request-accept-question = Give this case to { $name }? It leaves your caseload when you accept.
transfer-reject-question = Reject this transfer? The sender sees your reason.
transfer-revoke-question = Revoke this transfer? The case stays with its current owner.

# Push
push-title = Notifications on this phone
push-off = Get a notification on this phone for new referrals, transfers, approval requests and decisions, even when Sathi is closed.
push-on = Notifications are on for this phone.
push-unsupported = This browser cannot show Sathi's notifications while the app is closed. New notifications still appear under Notifications in the app.
push-denied = Notifications for Sathi are blocked in this browser's settings. Allow them there, then turn them on here. New notifications still appear in the app.
push-server-off = This server does not send notifications to phones. New notifications still appear in the app.
push-failed = This phone could not be registered for notifications. The browser's push service may be out of reach, or the phone may be offline. New notifications still appear in the app. Try again later.
push-turn-on = Turn on notifications
push-turn-off = Turn off notifications
push-working = Please wait…

## Dashboards
nav-dashboard = Dashboard
nav-dashboard-short = Figures
nav-reports = Reports
nav-reports-short = Reports
dash-title = Dashboard
dash-as-of = Figures as of { $time }
dash-as-of-phone = Figures from the cases on this phone, as of { $time }
dash-loading = Counting…
dash-offline = The figures are counted on the server, so they need a connection. They appear when this phone is online again.
dash-none = Your role has no dashboard.
dash-back = Back to the dashboard
dash-panel-empty = Nothing to count yet.
dash-panel-by-agency = By agency, from the same figures as the dashboard.
dash-suppressed = <{ $threshold }
dash-suppressed-legend = “<{ $threshold }” marks a hidden number: one below { $threshold }, or one hidden beside it so that the small number cannot be worked out. No child can be recognised from the figures.
dash-owner-unknown = A caseworker not on this phone’s list
dash-age-range = { $range } years
dash-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
dash-panel-my_open_total = My open cases
dash-panel-my_open_by_risk = My open cases by risk
dash-panel-my_open_by_stage = My open cases by stage
dash-panel-my_tasks = My tasks
dash-panel-my_incoming = Waiting for my answer
dash-panel-team_open_by_owner = Open cases by caseworker
dash-panel-approvals_pending = Approvals to decide
dash-panel-team_overdue_by_owner = Overdue tasks by caseworker
dash-panel-new_to_assign = New cases to assign
dash-panel-team_open_by_risk = Team’s open cases by risk
dash-panel-open_total = Open cases
dash-panel-open_by_camp = Open cases by camp
dash-panel-open_by_concern = Open cases by protection concern
dash-panel-open_by_sex = Open cases by sex
dash-panel-open_by_age_range = Open cases by age
dash-panel-opened_by_month = Cases registered per month
dash-panel-closed_by_month = Cases closed per month
dash-panel-referrals_sent_by_service = Referrals sent, by service
dash-panel-referrals_received_by_agency = Referrals received, by referring agency
dash-panel-days_to_assessment = Days from registration to assessment
dash-panel-days_to_case_plan = Days from registration to approved case plan
dash-panel-open_by_agency = Open cases by agency
dash-number-my_open_total = { $count ->
    [one] 1 open case
   *[other] { $count } open cases
}
dash-number-approvals_pending = { $count ->
    [one] 1 request waiting for your decision
   *[other] { $count } requests waiting for your decision
}
dash-number-new_to_assign = { $count ->
    [one] 1 new case you hold until you assign it
   *[other] { $count } new cases you hold until you assign them
}
dash-number-open_total = { $count ->
    [one] 1 open case
   *[other] { $count } open cases
}
dash-counts-cases = Number of cases
dash-counts-children = Number of children
dash-counts-referrals = Number of referrals
dash-counts-tasks = Number of tasks
dash-counts-approvals = Number of requests
dash-counts-days = Days
dash-dimension-total = All
dash-dimension-risk_level = Risk
dash-dimension-stage = Stage
dash-dimension-owner = Caseworker
dash-dimension-camp = Camp
dash-dimension-concern = Protection concern
dash-dimension-sex = Sex
dash-dimension-age_range = Age
dash-dimension-month = Month
dash-dimension-agency = Agency
dash-dimension-service = Service
dash-dimension-bucket = When
dash-dimension-kind = What
dash-key-none = Not recorded
dash-key-total = All
dash-key-age-unknown = Age not recorded
dash-key-referrals = Referrals to accept or reject
dash-key-transfers = Transfers to accept or reject
dash-key-overdue = Overdue
dash-key-today = Due today
dash-key-week = Due this week
dash-key-median = Median
dash-key-p90 = 9 in 10 cases within
dash-key-cases = Cases measured

## Lists opened from a figure
filters-active = Filters of this list
filters-remove = Remove the filter: { $name }
filter-stage = Stage: { $value }
filter-owner = Caseworker: { $name }
filter-agency = Agency: { $name }
filter-sex = Sex: { $value }
filter-age-on = Age { $range } on { $date }
filter-as-of = Ages on { $date }
filter-location = Place: { $name }
filter-concern = Concern: { $name }
filter-registered = Registered { $range }
filter-closed = Closed { $range }
filter-range = { $from } to { $to }
filter-from = from { $date }
filter-to = until { $date }
filter-assessed = Assessment completed
filter-case-plan-approved = Case plan approved
filter-not-assessed = Assessment not completed
filter-case-plan-not-approved = Case plan not approved
server-list-loading = Loading cases…
server-list-more = Show more ({ $shown } of { $count } shown)
server-list-offline = This list comes from the server, so it needs a connection.
tasks-count = { $count ->
    [one] 1 task
   *[other] { $count } tasks
}
tasks-none-here = No task here.
referrals-all-incoming = All incoming referrals and transfers
referrals-none-here = No referral matches.

## Reports
reports-title = Reports
reports-offline = Reports are counted on the server, so they need a connection.
reports-working = Counting…
reports-show = Show
reports-download-xlsx = Download Excel (XLSX)
reports-download-csv = Download CSV
reports-monthly-title = Monthly coordination report
reports-monthly-hint = The report the sub-sector shares every month. Small numbers are always hidden.
reports-month = Month
reports-as-of = { $month }, ages on { $date }
reports-pivot-title = Build a table
reports-measure = Count
reports-rows = Rows
reports-columns = Columns
reports-columns-none = No columns
reports-filters = Only count
reports-filter-month = Registered or referred in month
reports-registered-from = Registered from
reports-registered-to = Registered until
reports-as-of-date = Ages on
reports-as-of-hint = A child whose birthday falls on this date is counted at the new age.
reports-date-invalid = Type the date as year-month-day, for example 2026-11-30.
reports-for-sharing = For sharing outside my agency
reports-for-sharing-hint = Hides numbers below the threshold, so the table can leave your agency.
reports-for-sharing-always = Your figures cover several agencies, so small numbers are always hidden.
reports-suppressed-cells = { $count ->
    [one] 1 number is hidden.
   *[other] { $count } numbers are hidden.
}

## Case import, exports and the case PDF

nav-import = Import cases
nav-import-short = Import
import-title = Import cases
import-offline = Imports run on the server, so they need a connection.
import-working = Working…
import-upload-title = 1. Choose the file
import-upload-hint = A spreadsheet saved as CSV or Excel (XLSX), with one case per row and the column names in the first row, or a JSON export of the old case system. Nothing is saved until you import after the check.
import-choose-file = File
import-format = Kind of file
import-format-csv = CSV spreadsheet
import-format-xlsx = Excel workbook (XLSX)
import-format-incumbent = JSON export of the old case system
import-upload = Upload and read the columns
import-file = File: { $name }
import-mapping-title = 2. Match the columns to fields
import-mapping-hint = For each column, choose the field it fills. Columns left on "Do not import" are skipped.
import-saved-mappings = Saved matchings
import-saved-choose = Use a saved matching…
import-sample = For example: { $values }
import-field-none = Do not import
import-column-none = None
import-date-format = How dates are written
import-date-format-hint = One format for the whole file. Dates written as year-month-day are always understood.
import-date-slash-dmy = Day/month/year, such as 31/12/2015
import-date-slash-mdy = Month/day/year, such as 12/31/2015
import-date-iso = Year-month-day, such as 2015-12-31
import-date-dash-dmy = Day-month-year, such as 31-12-2015
import-date-dot-dmy = Day.month.year, such as 31.12.2015
import-external-id = Column with the old system's case number
import-external-id-hint = A row whose number was imported before updates that case instead of adding a second one.
import-case-id = Column with Sathi case ids
import-case-id-hint = Only for a file exported from Sathi: each row updates the case with that id.
import-owner = Caseworker of the new cases
import-owner-hint = New cases go to this person's caseload.
import-owner-choose = Choose a caseworker
import-mapping-name = Save this matching as
import-save-mapping = Save
import-mapping-saved = Saved as "{ $name }".
import-dry-run = Check the file (nothing is saved)
import-checking = Checking every row…
import-running = Importing…
import-progress-label = Progress
import-progress = { $done } of { $total } rows
import-progress-rows = { $done } rows so far
import-dry-run-title = 3. Result of the check
import-dry-run-hint = Nothing has been saved yet. Correct the rejected rows in the file and check again, or import the good rows now.
import-done-title = Import finished
import-would-created = New cases
import-would-updated = Cases to update
import-would-unchanged = Rows with no change
import-would-rejected = Rows rejected
import-did-created = Cases created
import-did-updated = Cases updated
import-did-unchanged = Rows with no change
import-did-rejected = Rows rejected
import-rejected-title = Rejected rows
import-row = Row
import-reason = Why
import-reason-in-column = { $column }: { $message }
import-rejected-more = Showing { $shown } of { $total } rejected rows. The report lists every row.
import-report-xlsx = Download the report (Excel)
import-report-csv = Download the report (CSV)
import-mapping-changed = The matching changed after the check. Check the file again before importing.
import-run = { $count ->
    [one] Import 1 case
   *[other] Import { $count } cases
}
import-another = Import another file
export-open = Export…
export-title = Export these cases
export-hint = A file of the cases this list shows, with the fields your role may read.
export-offline = Exports are written on the server, so they need a connection.
export-format = Format
export-format-xlsx = Excel (XLSX)
export-format-xlsx-hint = Opens in Excel and LibreOffice; Bangla shows correctly.
export-format-csv = CSV for Excel
export-format-csv-hint = Marked as UTF-8, so Excel shows Bangla correctly.
export-format-csv_plain = Plain CSV
export-format-csv_plain-hint = For other programs and databases.
export-format-json = JSON
export-format-json-hint = Whole case records, for technical staff.
export-protect = Protect the file with a password
export-password = Password
export-password-hint = At least { $min } characters. The file then is a ZIP archive: open it with { $program } or WinZip and this password. Give the password to the recipient separately.
export-create = Create the file
export-close = Close
export-started = The file is being written.
export-my-exports = My exports
exports-title = My exports
exports-hint = Files you exported. Each file is deleted when it expires, and every download is recorded.
exports-offline = Your exports are kept on the server. Connect to see and download them.
exports-empty = You have no exports.
exports-state-running = Being written
exports-state-ready = Ready
exports-state-failed = Failed
exports-rows = { $count ->
    [one] 1 case
   *[other] { $count } cases
}
exports-size-kb = { $size } KB
exports-size-mb = { $size } MB
exports-protected = Password protected
exports-expires = Deleted on { $when }
exports-download = Download
case-pdf = PDF
case-pdf-working = Preparing the PDF…
case-pdf-offline = The PDF is made on the server, so it needs a connection.
case-pdf-not-sent = The PDF can be made once this case has reached the server.

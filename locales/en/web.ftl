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
case-discard = Discard the unsent changes
case-discard-confirm = Discard this phone's unsent changes to this case? The server's version will be shown instead. A case the server never accepted is removed from this phone.
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
case-age = { $age } years
case-age-estimated = about { $age } years
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

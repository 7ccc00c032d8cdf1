# Messages a person reads, English. Every id here must exist in every other locale too;
# a test compares the files. Numbers and dates in variables arrive already formatted.

## Errors of a single field. $path is the field path, shown by the client next to the field.

error-required = This field is required. Fill it in and save again.
error-unknown_field = This form has no such field. Reload the form and try again.
error-form_not_writable = Your role cannot change this form. Ask your supervisor if it needs changing.
error-read_only_field = This field is filled in by Sathi and cannot be typed.
error-too_long = This text is too long: at most { $max } characters.
error-invalid_type = This value has the wrong type; expected { $expected }.
error-invalid_number = This is not a number. Type digits only, such as 7 or 12.5.
error-not_whole_number = Type a whole number, without a fraction.
error-below_min = This number is too small: it must be at least { $min }.
error-above_max = This number is too large: it must be at most { $max }.
error-mixed_digit_scripts = This value mixes digits of different scripts ({ $scripts }). Type all digits in Bangla or all in English.
error-digit_script_not_accepted = These digits ({ $scripts }) are not accepted here. Type the digits in Bangla or English.
error-invalid_date_format = This is not a date in the form year-month-day, such as 2017-06-15.
error-impossible_date = This date does not exist in the calendar. Check the day and the month.
error-date_in_future = This date is in the future. It must be today ({ $today }) or earlier.
error-unknown_option = "{ $value }" is not one of the options. Choose one of: { $allowed }.
error-invalid_tally = The count for "{ $option }" must be a whole number of 0 or more.
error-unknown_location = "{ $value }" is not a known location. Choose a place from the list.
error-location_too_coarse = Choose a more precise place: at least the { $min_level }.
error-invalid_row_id = This row's id is invalid. Reload the case and try again.
error-row_not_found = This row no longer exists; someone may have removed it. Reload the case.

## Errors of a whole request.

error-validation_failed = Some fields need correcting. Nothing was saved.
error-not_found = Not found. It does not exist, or you do not have access to it.
error-unauthenticated = Your session has ended. Log in again.
error-invalid_credentials = The user name or password is wrong.
error-account_locked = Too many failed logins. This account is locked until { $until }. Ask your administrator to unlock it sooner.
error-forbidden = Your role does not allow this action.
error-version_conflict = Someone else changed this case at the same moment. Reload it and try again.
error-invalid_request = The request is invalid. Check it against the API description, then send it again.
error-request_case_id_used = Another case already has this case id. Send the new case without an id, and Sathi gives it one.
error-request_too_many_ids = At most { $max } notifications can be marked at once. Send fewer ids, or send "all": true.
error-request_ids_or_all = Say which notifications to mark: send "ids" with their ids, or "all": true.
error-request_username_characters = A user name may use only the letters a to z, the digits 0 to 9, ".", "_" and "-". Choose another user name.
error-request_upload_offset = The Upload-Offset header must be a whole number of bytes, 0 or more.
error-request_attachment_size = The file's size must be at least 1 byte. Choose a file that is not empty.
error-request_attachment_sha256 = The file's SHA-256 checksum must be 64 hexadecimal digits.
error-request_filter_unreadable = The export's filter cannot be read. Send each filter as a text value, such as "risk_level": "high".
error-request_file_incomplete = The file did not arrive whole. Check the connection, then upload the file again.
error-request_file_unreadable = The file cannot be read. Check that it exists and that Sathi may read it.
error-request_not_json = Send the request body as JSON, with the header "Content-Type: application/json".
error-request_json_invalid = The request body is not valid JSON. Check its brackets, quotation marks and commas.
error-request_field_missing = The request has no "{ $field }". Add it and send the request again.
error-request_field_unknown = "{ $field }" is not part of this request. Remove it, or check its spelling.
error-request_value_unknown = "{ $value }" is not allowed for "{ $field }". Use one of: { $allowed }.
error-request_value_not_allowed = "{ $value }" is not allowed here. Use one of: { $allowed }.
error-request_field_unreadable = The value of "{ $field }" cannot be read. Check its type and form against the API description, then send the request again.
error-request_unreadable = The request cannot be read. Check it against the API description, then send it again.
error-invalid_age_range = The oldest age ({ $max }) is below the youngest age ({ $min }). Swap them or widen the range.
error-invalid_filter = The filter "{ $name }" has an invalid value "{ $value }".
error-unknown_filter = "{ $name }" is not a filter of the case list. The filters are: { $allowed }.
error-invalid_parameter = The parameter "{ $name }" cannot be "{ $value }". Use one of: { $allowed }.
error-query_out_of_range = The parameter "{ $name }" is { $value }, but it must be from { $min } to { $max }.
error-query_below_min = The parameter "{ $name }" is { $value }, but it must be { $min } or more.
error-internal_error = Something went wrong on the server. Nothing was lost; try again, and tell your administrator if it keeps happening. Reference: { $reference }
error-password_too_short = The password is too short: use at least { $min } characters.
error-username_taken = This user name is already taken. Choose another.
error-unknown_role = "{ $value }" is not a role of this deployment.
error-unknown_agency = "{ $value }" is not an agency of this deployment.
error-unknown_locale = "{ $value }" is not a language of this deployment. Use one of: { $allowed }.
error-already_closed = This case is already closed.
error-not_closed = This case is not closed, so it cannot be reopened.
error-closure_reason_required = Give a closure reason before closing the case.
error-closure_approval_required = Only a supervisor who approves closures for this case can close it directly. Give the reason in the Closure form and ask for closure approval.

## Value types named in error-invalid_type.

type-text = text
type-number = a number
type-date = a date
type-date_time = a date and time
type-option = one option
type-options = a list of options
type-yes_no = yes or no
type-rows = a list of rows
type-row = a row
type-attachments = a list of attachments
type-attachment = an attachment
type-location = a location
type-tally = counts per option

## Location levels named in error-location_too_coarse.

level-country = country
level-division = division
level-district = district
level-upazila = upazila
level-camp = camp
level-union = union
level-block = block

## Digit scripts named in error-mixed_digit_scripts and error-digit_script_not_accepted.

script-ascii = English
script-bengali = Bangla
script-devanagari = Devanagari
script-arabic_indic = Arabic
script-extended_arabic_indic = Persian
script-myanmar = Burmese
script-other = another script

## Attachments: photos, audio, documents and signatures.

error-not_an_attachment_field = This field does not take files, or your role may not change its form.
error-attachment_too_large = The file is too large. The largest file allowed is { $max_mb } MB.
error-attachment_type_not_allowed = This kind of file is not accepted here. Photos and signatures take images, documents take images or PDF, and audio fields take audio.
error-attachment_id_taken = Another file already uses this attachment id. Add the file again.
error-chunk_content_type = A part of a file must be sent as application/offset+octet-stream.
error-chunk_too_large = A part of a file may be at most { $max_kib } KiB.
error-chunk_past_end = This part goes past the end of the file's registered size.
error-hash_mismatch = The file arrived damaged, so the server discarded it. It will be sent again from the start.
error-upload_offset_mismatch = The server holds { $received } bytes of this file. Continue sending from there.
error-attachment_already_verified = The server already received and checked this whole file.
error-attachment_not_verified = This file has not finished uploading yet. Try again later.

## Sync: results of a device's changes, conflicts, and changes of disabled accounts.

error-account_disabled = { $count ->
    [0] This account has been disabled. Ask your supervisor.
    [one] This account has been disabled. The 1 change from this device was kept for your supervisor to review.
   *[other] This account has been disabled. The { $count } changes from this device were kept for your supervisor to review.
}
error-account_disabled_unsent = This account has been disabled. Open Sathi with a connection so the phone can send its unsent changes to your supervisor.
error-record_unavailable = This case is not available to you any more, so your change was not saved. It was transferred, closed to you, or your access changed.
error-not_permitted = Your role may not make this change, so it was not saved.
error-invalid = A value in this change is invalid, so nothing of it was saved.
error-device_mismatch = This device is registered to another user, so its changes were not saved. Log out and log in again.
error-sequence_used = The server already received another change with this number from this device, so this one was not saved.
error-sequence_out_of_range = This change was not saved because more than { $max } earlier changes from this device have not reached the server. Sync again so the earlier changes are sent first.
error-too_many_deferred = This change was not saved because the server already holds { $max } changes from your devices that wait for earlier changes. Sync again so the earlier changes are sent first.
error-deferred_too_large = This change was not saved because it is larger than { $max } KiB and arrived before earlier changes from this device. Sync again so the earlier changes are sent first.
error-invalid_base_version = This change was not saved because it does not name a version of the case that the server has. Sync again, then make the change again.
error-kept_aside = This change was kept aside for your supervisor while your account was disabled, so it was not saved again. Your supervisor decides whether to apply it.
error-payload_too_large = The request is larger than the { $max_mb } MB the server accepts. Send fewer changes at once.
error-too_many_mutations = At most { $max } changes can be sent at once.
error-invalid_limit = The number of cases per response must be from 1 to { $max }.
error-too_many_ids = At most { $max } cases can be requested at once.
error-conflict_resolved = Someone already resolved this conflict. Open the case again to see the value kept.
error-already_reviewed = Someone already applied or discarded this change.
error-reason_required = Give a reason for discarding this change.
error-invalid_owner = The new owner must be an active user of the case's agency.

# Referrals and transfers
error-consent_missing = The case has no recorded consent to share information with other organisations. Record the child's or caregiver's consent in the consent form first, or ask a supervisor to share it with a reason.
error-referral_pending = A referral of this case to the same agency for the same service is still pending ({ $id }). Wait for its answer or revoke it first.
error-transfer_pending = This case has a pending transfer ({ $id }). Wait for its answer or revoke it first.
error-not_owner_since = This case was transferred to another owner on { $date } at { $time }, so you can no longer change it. Your change was not saved.
error-not_owner_since_kept = This case was transferred to another owner on { $date } at { $time }, so you can no longer change it. Your change was not applied; it was kept for your supervisor to review.
error-invalid_recipient = Choose an agency from the list and, if you name a person, an active user of that agency who may receive it.
error-invalid_service = "{ $value }" is not a service in the list of services.
error-invalid_shared_forms = "{ $value }" is not a form of this deployment.
error-decision_reason_required = Give a reason for this decision.
error-case_closed = This case is closed, so the referral or transfer can no longer be accepted. Reject it, or ask the case owner to reopen the case first.
error-consent_withdrawn = The case no longer records consent to share information with other organisations, so this referral or transfer can no longer be accepted. Reject it, or ask the case owner to record consent again.
error-no_receivers = Nobody in this agency can receive it. Choose a person, or another agency, or ask the agency administrator to give a user this role.
error-id_reused = Another request already used this id with different details, so nothing was saved. Make the request again as new.

# Tasks, approvals and notifications
error-state_changed = Someone else acted on this first. It is now { $status ->
    [pending] pending
    [approved] approved
    [rejected] rejected
    [withdrawn] withdrawn
    [accepted] accepted
    [done] done
    [revoked] revoked
    [ended] ended
   *[other] changed
}. Open it again to see what happened.
error-approval_pending = An approval request of this kind is already waiting for a decision ({ $id }). Wait for the decision, or withdraw that request first.
error-state_changed_version = This changed since you opened it. Reload it and try again.
error-assessment_not_completed-decision = The assessment completion date was removed after this request was made, so the assessment cannot be approved. Reject the request with a comment, or ask the caseworker to fill in the date.
error-case_plan_empty-decision = The case plan has no intervention any more, so it cannot be approved. Reject the request with a comment, or ask the caseworker to add an intervention.
error-closure_reason_missing-decision = The closure reason was removed after this request was made, so the closure cannot be approved. Reject the request with a comment, or ask the caseworker to choose the reason.
error-closure_blocked = This case cannot be closed while referrals are pending or accepted, or a transfer is pending ({ $ids }). End or revoke them on the case first, then approve the closure.
error-assessment_not_completed = Fill in the date the assessment was completed before asking for its approval.
error-case_plan_empty = Add at least one intervention to the case plan before asking for its approval.
error-closure_reason_missing = Choose the reason for closing the case in the closure form before asking for approval to close it.
error-comment_required = Write a comment that says why the request is rejected and what to change.
error-own_approval = You cannot decide on your own request. Another supervisor whose approvals cover this case must decide it. If there is no other such supervisor, ask the agency administrator to give someone this role.
error-text_too_long = { $field ->
    [comment] The comment is too long.
    [flag_text] The flag text is too long.
    [note] The note is too long.
    [reason] The reason is too long.
   *[other] The text is too long.
} At most { $max } characters are allowed. Shorten it and try again.
error-flag_text_required = Write the text of the flag.
error-flag_reason_required = Give a reason for removing this flag.
error-reopen_reason_required = Give a reason for reopening the case.
approval-kind-assessment = assessment
approval-kind-case_plan = case plan
approval-kind-closure = closure
notification-someone = Someone
notification-referral_received-title = New referral
notification-referral_received-body = { $actor } referred case { $case } to you.
notification-referral_accepted-title = Referral accepted
notification-referral_accepted-body = { $actor } accepted your referral of case { $case }.
notification-referral_rejected-title = Referral rejected
notification-referral_rejected-body = { $actor } rejected your referral of case { $case }.
notification-referral_revoked-title = Referral revoked
notification-referral_revoked-body = { $actor } revoked the referral of case { $case }. The case is no longer shared with you.
notification-referral_done-title = Referral done
notification-referral_done-body = { $actor } marked the referral of case { $case } as done.
notification-referral_ended-title = Referral ended
notification-referral_ended-body = { $actor } ended the referral of case { $case }. The case is no longer shared with you.
notification-referral_ended_by_transfer-title = Referral ended
notification-referral_ended_by_transfer-body = { $actor } accepted a transfer of case { $case } to the recipient of your referral, so the referral has ended. The recipient now owns the case.
notification-transfer_received-title = Case transfer
notification-transfer_received-body = { $actor } wants to transfer case { $case } to you.
notification-transfer_accepted-title = Transfer accepted
notification-transfer_accepted-body = { $actor } accepted the transfer of case { $case }.
notification-transfer_rejected-title = Transfer rejected
notification-transfer_rejected-body = { $actor } rejected the transfer of case { $case }.
notification-transfer_revoked-title = Transfer revoked
notification-transfer_revoked-body = { $actor } revoked the transfer of case { $case }.
notification-transfer_request_received-title = Transfer request
notification-transfer_request_received-body = { $actor } asks for case { $case } to be transferred to them.
notification-approval_requested-title = Approval requested
notification-approval_requested-body = { $actor } asks you to approve the { $approval } of case { $case }.
notification-approval_approved-title = Request approved
notification-approval_approved-body = { $actor } approved the { $approval } of case { $case }.
notification-approval_rejected-title = Request rejected
notification-approval_rejected-body = { $actor } rejected the { $approval } of case { $case }. The comment is in your tasks.
notification-case_assigned-title = Case assigned to you
notification-case_assigned-body = { $actor } assigned case { $case } to you.

# Push
error-push_disabled = This server does not send notifications to phones.
error-push_endpoint_not_allowed = This browser's push service address is not allowed. Notifications still appear in the app.
error-push_keys_invalid = The browser sent invalid push keys. Turn notifications off and on again on this phone.

# Reports
error-invalid_report = The report setting "{ $name }" has an invalid value "{ $value }".
error-report_whole_months = A table shared outside your agency counts whole months, so that no child can be found by comparing two tables. Set "{ $name }" to the first day of a month for a start date, or the last day of a month for an end or as-of date (today is also allowed as the as-of date); "{ $value }" is neither.
report-not-recorded = Not recorded
report-other-ages = Other ages
report-status-open = Open
report-status-closed = Closed
report-month-1 = January
report-month-2 = February
report-month-3 = March
report-month-4 = April
report-month-5 = May
report-month-6 = June
report-month-7 = July
report-month-8 = August
report-month-9 = September
report-month-10 = October
report-month-11 = November
report-month-12 = December
report-dimension-camp = Camp
report-dimension-concern = Protection concern
report-dimension-sex = Sex
report-dimension-age_range = Age
report-dimension-agency = Agency
report-dimension-month = Month
report-dimension-risk_level = Risk level
report-dimension-stage = Stage
report-dimension-status = Status
report-dimension-service = Service
report-dimension-to_agency = Receiving agency
report-dimension-from_agency = Referring agency
report-measure-cases = Cases
report-measure-referrals = Referrals
report-as-of = As of { $date }
report-suppression-note = Counts from 1 to { $max } are hidden and shown as { $marker }. Other counts that would let someone work them out are hidden too.
report-total = Total
report-section-registered_by_camp_sex = Children registered in { $month }, by camp and sex
report-section-registered_by_age_sex = Children registered in { $month }, by age and sex
report-section-registered_by_concern_sex = Children registered in { $month }, by protection concern and sex
report-section-open_at_month_end_by_risk_sex = Open cases at the end of { $month }, by risk level and sex
report-section-closed_by_camp = Cases closed in { $month }, by camp
report-section-referrals_by_service_agency = Referrals made in { $month }, by service and receiving agency
report-sheet-registered_by_camp_sex = Registered by camp
report-sheet-registered_by_age_sex = Registered by age
report-sheet-registered_by_concern_sex = Registered by concern
report-sheet-open_at_month_end_by_risk_sex = Open at month end
report-sheet-closed_by_camp = Closed by camp
report-sheet-referrals_by_service_agency = Referrals by service
report-days-median = Median days
report-days-p90 = 90th percentile of days
report-days-cases = Cases measured

## Configuration and locations as files.

error-config_zip_invalid = This file is not a ZIP archive of a configuration folder. Export the configuration, change its files, and upload the ZIP file again.
error-config_zip_too_large = This archive unpacks to more than { $max_mb } MB, which is more than a configuration needs. Upload the ZIP file of the configuration folder only.
error-config_file_not_utf8 = The file { $file } is not UTF-8 text. Save it as UTF-8 and upload the ZIP file again.
error-config_invalid = { $count ->
    [1] The configuration has 1 problem, listed below. Nothing was changed. Correct the file and upload the ZIP file again.
   *[other] The configuration has { $count } problems, listed below. Nothing was changed. Correct the files and upload the ZIP file again.
}
error-config_file_missing = The file { $file } is missing from the archive. Add it, as the configuration export contains it.
error-config_file_invalid = The file { $file } is not valid at line { $line }, column { $column }: { $detail }. Correct it and upload again.
error-config_missing_text = { $path }: missing text in locale '{ $locale }'. Write the text in that language.
error-config_duplicate_id = { $path }: duplicate id '{ $id }'. Give each entry its own id.
error-config_invalid_id = { $path }: id '{ $id }' must use only a-z, 0-9, '_' and '-'.
error-config_no_locale = { $path }: at least one locale is required.
error-config_no_english = { $path }: English ('en') is required as the fallback locale.
error-config_out_of_range = { $path }: must be between { $min } and { $max }.
error-config_at_least_one = { $path }: must be at least 1.
error-config_no_age_range = { $path }: at least one age range is required.
error-config_age_range_reversed = { $path }: the minimum { $min } is above the maximum.
error-config_age_range_after_open = { $path }: follows a range with no maximum, so the two overlap.
error-config_age_range_overlap = { $path }: starts at { $min } but the range before ends at { $max }. Ranges must ascend without overlapping.
error-config_too_many_days = { $path }: { $days } days is more than the maximum of { $max }.
error-config_timeframe_not_option = { $path }: not an option of lookup '{ $lookup }'.
error-config_no_options = { $path }: a lookup needs at least one option.
error-config_duplicate_location = { $path }: location codes must be unique.
error-config_parent_missing = { $path }: only a country may have no parent.
error-config_parent_unknown = { $path }: parent '{ $parent }' does not exist.
error-config_level_not_below_parent = { $path }: a location's level must be below its parent's.
error-config_code_prefix = { $path }: code must start with the parent's code '{ $parent }-'.
error-config_unknown_service = { $path }: unknown service type '{ $service }'.
error-config_unknown_form = { $path }: unknown form '{ $form }'.
error-config_duplicate_field = { $path }: field ids must be unique across all forms.
error-config_unknown_lookup = { $path }: unknown lookup '{ $lookup }'.
error-config_empty_subform = { $path }: a subform needs at least one field.
error-config_row_title_unknown = { $path }: row title field '{ $field }' is not in the subform.
error-config_nested_subform = { $path }: subforms cannot be nested.
error-config_min_above_max = { $path }: min is greater than max.
error-config_calculation_source = { $path }: calculation source '{ $field }' is not a date field.
error-config_calculated_not_read_only = { $path }: a calculated field must be read_only.
error-config_system_not_read_only = { $path }: a system field must be read_only.
error-config_condition_field_unknown = { $path }: the condition refers to unknown field '{ $field }'.
error-config_includes_not_multi_select = { $path }: 'includes' needs a multi_select field, and '{ $field }' is not one.
error-config_includes_not_option = { $path }: '{ $value }' is not an option of lookup '{ $lookup }'.
error-config_duplicate_import_alias = { $path }: the import alias '{ $alias }' also names the field '{ $field }'. Keep the alias on one field only.
error-invalid_locations_format = "{ $value }" is not a locations file format. Use csv or json.
error-locations_invalid = { $count ->
    [1] The locations file has 1 problem, listed below. Nothing was changed. Correct the file and upload it again.
   *[other] The locations file has { $count } problems, listed below. Nothing was changed. Correct the file and upload it again.
}
error-locations_in_use = { $count ->
    [1] The new configuration leaves out 1 location that cases still have as their current location, listed below. Nothing was changed. Keep it, or move those cases to another location first.
   *[other] The new configuration leaves out { $count } locations that cases still have as their current location, listed below. Nothing was changed. Keep them, or move those cases to another location first.
}
error-location_in_use = "{ $value }" is the current location of { $cases ->
    [1] 1 case
   *[other] { $cases } cases
}. Keep this location, or move the cases first.
error-locations_not_utf8 = The file is not UTF-8 text. Save it as "CSV UTF-8" or as UTF-8 JSON and upload it again.
error-locations_json_invalid = The file is not valid JSON: the error is at line { $line }, column { $column }. Correct it and upload it again.
error-locations_json_not_array = The JSON file must be a list of locations, as the locations export writes it.
error-location_json_not_object = Entry { $row } of the JSON list is not a location. Each entry needs code, level, parent and name.
error-location_row_length = Row { $row } has { $count } cells, but the header has { $columns } columns. Check for a stray comma or a missing cell.
error-location_row_unreadable = Row { $row } cannot be read as CSV: { $detail }. Check its quotation marks.
error-location_column_duplicate = The column "{ $column }" appears twice in the header row. Remove one of them.
error-location_column_unknown = The column "{ $column }" is not a locations column. The columns are code, level, parent and one name_ column per language, such as name_en and name_bn.
error-location_key_unknown = Entry { $row } has the unknown key "{ $column }". A location has only code, level, parent and name.
error-location_column_missing = The column "{ $column }" is missing from the header row. Add it: the columns are code, level, parent and one name_ column per language of the deployment.
error-location_value_not_text = Row { $row }, column { $column }: the value must be text. Write it in quotation marks.
error-location_code_missing = Row { $row }, column code: the code is empty. Give every location a code.
error-location_code_invalid = Row { $row }, column code: "{ $value }" is not a valid code. Use only letters, digits, "-" and "_", such as BD-CTG-CXB.
error-location_code_duplicate = Row { $row }, column code: "{ $value }" is already the code of row { $first_row }. Give each location its own code, or remove the repeated row.
error-location_level_invalid = Row { $row }, column level: "{ $value }" is not a level. Use one of: { $allowed }.
error-location_parent_missing = Row { $row }, column parent: the parent is empty. Only a country has no parent; write the code of the place this one lies in.
error-location_parent_unknown = Row { $row }, column parent: "{ $value }" is not the code of any row in this file. Add that location, or correct the code.
error-location_level_not_below_parent = Row { $row }, column level: "{ $value }" is not below its parent { $parent }, which is a { $parent_level }. Correct the level or the parent.
error-location_code_prefix = Row { $row }, column code: "{ $value }" does not start with its parent's code "{ $parent }-". Start the code with the parent's code, such as { $parent }-A.
error-location_name_missing = Row { $row }, column { $column }: the name is empty. Write the place's name in that language.

## Case imports (/imports): mapping problems, row reasons, job failures and the report.

import-error-cell = Value { $cell }: { $message }
error-import_required = This row has no value for a required field. Fill in the cell in the file, then check the file again.
error-import_unknown_column = The file has no column "{ $value }". Check the mapping against the file's header row.
error-import_unknown_field = "{ $value }" is not a field of this deployment. Choose a field from the list.
error-import_field_not_importable = The field "{ $value }" cannot be filled from a file: Sathi fills it, or it holds photos, documents, a list of rows or counts.
error-import_field_mapped_twice = Two columns fill the field "{ $value }". Map each field from one column only.
error-import_mapping_no_id = Choose the column with the other system's ids or the column with Sathi case ids, so that importing the file again updates the same cases instead of making new ones.
error-import_mapping_no_owner = Choose the caseworker who will own the new cases, or a column with their user names.
error-import_mapping_no_incumbent = A file from the incumbent system needs the incumbent mapping. Use the default one or a saved one.
error-import_mapping_invalid = The mapping does not fit this file, so nothing was checked. Correct the points listed.
error-import_mapping_name_required = Give the mapping a name to save it under.
error-import_owner_invalid = "{ $value }" is not an active user of your agency, so they cannot own imported cases. Choose another caseworker.
error-import_busy = This file is being checked or imported right now. Wait until that ends.
error-import_needs_dry_run = Check the file with this mapping first (dry run), then import it.
error-import_empty_file = The file is empty. Upload the file that holds the cases, with a header row.
error-import_not_comma_separated = The file seems to separate its columns with semicolons or tabs, but a CSV file must use commas. In Excel, save it as "CSV UTF-8 (Comma delimited)" and upload it again.
error-import_duplicate_column = The header row has the column "{ $column }" twice, so a mapping could not tell the two apart. Give each column its own name, then upload the file again.
error-import_unreadable_file = The file cannot be read in the format chosen. Check that a CSV file is CSV, a workbook is XLSX and an export from the incumbent system is its JSON file.
error-import_not_utf8 = This text is not in UTF-8. Save the file as "CSV UTF-8" in your spreadsheet program and upload it again.
error-import_file_not_utf8 = Row { $row } of the file is not UTF-8 text, so the file was saved in another encoding. Save it as "CSV UTF-8" in your spreadsheet program and upload it again.
error-import_file_too_large = The file is larger than the { $max_mb } MB an import accepts. Split it into smaller files and import them one after another.
error-import_invalid_date_format = { $date_format ->
    [day_slash] This is not a date in the form day/month/year (dd/mm/yyyy) that this import uses, such as 15/06/2017. A year-month-day date such as 2017-06-15 is accepted too.
    [month_slash] This is not a date in the form month/day/year (mm/dd/yyyy) that this import uses, such as 06/15/2017. A year-month-day date such as 2017-06-15 is accepted too.
    [day_dash] This is not a date in the form day-month-year (dd-mm-yyyy) that this import uses, such as 15-06-2017. A year-month-day date such as 2017-06-15 is accepted too.
    [day_dot] This is not a date in the form day.month.year (dd.mm.yyyy) that this import uses, such as 15.06.2017. A year-month-day date such as 2017-06-15 is accepted too.
   *[iso] This is not a date in the form year-month-day (yyyy-mm-dd) that this import uses, such as 2017-06-15.
}
error-import_interrupted = The server stopped while this file was being checked or imported. Start it again: cases already imported are found by their ids and never made twice.
error-import_failed = The import stopped because of a server error. Start it again, and tell your administrator if it keeps happening.
error-import_case_not_found = No case with this id is among the cases you may import into. Check the id, or leave it empty to register a new case.
error-import_case_changed = Someone changed this case while the file was being imported, so this row was not written. Import the file again.
error-import_case_changed_since_check = Someone changed this case after the file was checked, so this row was not written. Check the file again, then import it.
error-import_ids_disagree = The Sathi case id "{ $case_ref }" and the old system's case number "{ $external_id }" belong to two different cases, so this row was not written. Correct one of them in the file.
error-import_duplicate_id = Another case of your agency already has this id from the other system, so this row was not written.
error-import_duplicate_row = This case is already in row { $row } of the file. Keep one row for each case.
error-import_record_without_id = This record has no id (the key "{ $key }"), so importing it again could not find its case.
error-import_record_without_data = This record has no "{ $key }" object with the field values.
error-import_invalid_row_id = A row of this list has a missing, invalid or repeated id. Each row needs its own UUID under "unique_id", written as 32 hexadecimal digits with or without hyphens, such as 0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01. Give the row such an id in the file, then check the file again.
error-import_invalid_yes_no = "{ $value }" is not yes or no. Write yes, no, true, false, 1, 0, হ্যাঁ or না.
error-import_ambiguous_location = { $count } places are called "{ $value }". Use the location code instead.

import-report-row = Row
import-report-outcome = Outcome
import-report-case = Case ID
import-report-external-id = ID in the other system
import-report-column = Column
import-report-field = Field
import-report-message = Reason
import-report-sheet = Import report
import-outcome-created = New case
import-outcome-updated = Updated
import-outcome-unchanged = Unchanged
import-outcome-rejected = Rejected

## Case exports (/exports): errors, sheet and column names, values written as words.

error-export_password_length = The password of an export must have { $min } to { $max } characters, and not only spaces. Choose another password, or leave it out for a file without one.
error-export_limit = You already have { $max } exports being made. Wait until one of them is ready, then ask again.
error-export_not_ready = This export is not ready to download. Wait until its state is "ready"; if it failed, ask for a new export.
export-error-generation_failed = The file could not be made. Ask for the export again; if it fails again, tell your system administrator.
export-error-too_many_rows = There are more rows than an XLSX sheet holds (1,048,576). Export as CSV, or narrow the filter.
export-error-interrupted = The server stopped while making the file. Ask for the export again.
export-sheet-cases = Cases
export-column-display_id = Case ID
export-yes = Yes
export-no = No
export-status-open = Open
export-status-closed = Closed

## The printed case summary (GET /cases/{id}/pdf).

pdf-title = Case summary
pdf-printed = Printed { $date }, { $time } ({ $zone }) by { $name }
pdf-footer = Confidential: personal information about a child. Keep it locked away and shred it when no longer needed.
pdf-page = Page { $page } of { $pages }
pdf-empty = Nothing in this case is open to you.
pdf-fact-status = Status
pdf-fact-stage = Stage
pdf-fact-registered = Registered
pdf-fact-caseworker = Caseworker
pdf-yes = Yes
pdf-no = No
# Case stages, in the printed summary, exports and reports.
case-stage-new = New
case-stage-assessment = Assessment
case-stage-case_plan = Case plan
case-stage-service_provision = Service provision
case-stage-services_implemented = Services implemented
case-stage-closed = Closed
case-stage-reopened = Reopened


# ওয়েব ক্লায়েন্টের পর্দার লেখা, বাংলা। প্রতিটি id ইংরেজি ফাইলেও থাকতে হবে।

app-name = সাথী
app-tagline = শিশু সুরক্ষা কেস ব্যবস্থাপনা

## লগইন ও সুরক্ষিত ভান্ডার

login-title = লগইন
login-username = ব্যবহারকারীর নাম
login-password = পাসওয়ার্ড
login-language = ভাষা
login-submit = লগইন করুন
login-working = লগইন হচ্ছে…
login-offline-note = আপনি এখন অফলাইনে। এই ফোনে শেষবার যে পাসওয়ার্ড ব্যবহার করেছেন, তা দিয়ে লগইন করতে পারবেন।
login-offline-no-vault = এই ফোনে এই ব্যবহারকারীর কোনো তথ্য এখনো সংরক্ষিত নেই। প্রথমবার লগইনের জন্য ইন্টারনেটে সংযুক্ত হোন।
login-wrong-password = ব্যবহারকারীর নাম বা পাসওয়ার্ড ভুল।
login-locked = এই ফোনে অনেকবার ভুল পাসওয়ার্ড দেওয়া হয়েছে। { $minutes } মিনিট পরে আবার চেষ্টা করুন।
logout = লগআউট
logout-pending = { $count ->
    [one] একটি পরিবর্তন এখনো পাঠানো হয়নি। এটি এই ফোনে নিরাপদে থাকবে এবং আবার লগইন করলে পাঠানো হবে।
   *[other] { $count }টি পরিবর্তন এখনো পাঠানো হয়নি। এগুলো এই ফোনে নিরাপদে থাকবে এবং আবার লগইন করলে পাঠানো হবে।
}

## নেভিগেশন

nav-my-cases = আমার কেস
nav-new-case = শিশু নিবন্ধন
nav-settings = সেটিংস
nav-back = পেছনে

## সিঙ্কের অবস্থা

sync-online = অনলাইন
sync-offline = অফলাইন
sync-all-sent = সব পরিবর্তন পাঠানো হয়েছে
sync-pending = { $count ->
    [one] { $count }টি পরিবর্তন পাঠানোর অপেক্ষায়
   *[other] { $count }টি পরিবর্তন পাঠানোর অপেক্ষায়
}
sync-last = শেষ সিঙ্ক { $time }
sync-never = এখনো সিঙ্ক হয়নি
sync-now = এখনই সিঙ্ক করুন
sync-working = সিঙ্ক হচ্ছে…
sync-failed = পাঠানো যায়নি: { $reason }
sync-session-ended = সার্ভারে আপনার সেশন শেষ হয়েছে। পরিবর্তনগুলো পাঠাতে আবার লগইন করুন।
case-pending = এখনো পাঠানো হয়নি
case-sent = পাঠানো হয়েছে
case-discard = না-পাঠানো পরিবর্তন বাতিল করুন
case-discard-confirm = এই কেসে এই ফোনের না-পাঠানো পরিবর্তনগুলো বাতিল করবেন? এর বদলে সার্ভারের সংস্করণ দেখানো হবে। সার্ভার যে কেস কখনো গ্রহণ করেনি, তা এই ফোন থেকে সরে যাবে।
cases-more = { $count }টির মধ্যে প্রথম { $shown }টি দেখানো হচ্ছে। বাকিগুলো পেতে খুঁজুন বা ফিল্টার করুন।
case-send-error = সার্ভার গ্রহণ করেনি

## কেসের তালিকা

cases-title = আমার কেস
cases-title-all = যে কেসগুলো দেখতে পারি
cases-no-access = আপনার ভূমিকা সামগ্রিক পরিসংখ্যান নিয়ে কাজ করে, তাই কোনো কেসের তথ্য খোলে না এবং এই ডিভাইসে রাখে না।
cases-count = { $count ->
    [one] { $count }টি কেস
   *[other] { $count }টি কেস
}
cases-search = নাম বা কেস আইডি দিয়ে খুঁজুন
cases-filter-risk = ঝুঁকি
cases-filter-status = অবস্থা
cases-filter-all = সব
cases-sort = সাজান
cases-sort-updated = সর্বশেষ
cases-sort-name = নাম
cases-sort-risk = ঝুঁকি অনুযায়ী
cases-sort-registered = নতুন নিবন্ধন
cases-empty = কোনো কেস মেলেনি।
cases-no-name = (নাম নেই)
case-age = { $age } বছর
case-age-estimated = আনুমানিক { $age } বছর
status-open = চলমান
status-closed = বন্ধ

## কেস দেখা ও ফর্ম

case-edit = সম্পাদনা
case-save = সংরক্ষণ
case-saving = সংরক্ষণ হচ্ছে…
case-saved = এই ফোনে সংরক্ষিত
case-cancel = বাতিল
case-forms = ফর্মসমূহ
case-not-found = এই কেসটি এই ফোনে নেই।
case-register-title = শিশু নিবন্ধন
case-register-save = নিবন্ধন করুন
case-fix-errors = কয়েকটি ঘর সংশোধন করতে হবে। কিছুই সংরক্ষণ করা হয়নি।
case-stage = ধাপ
case-owner = দায়িত্বপ্রাপ্ত
form-empty = এখনো কিছু লেখা হয়নি।
field-choose = বেছে নিন…
field-yes = হ্যাঁ
field-no = না
field-add-row = যোগ করুন
field-remove-row = মুছুন
field-row = সারি { $number }
field-calculated = হিসাব করা
field-attachment-later = এই ফোনে সংযুক্তি চালু হলে কেসের পাতা থেকে ফাইল যোগ করা যাবে।
field-location-camp = ক্যাম্প
field-location-block = ব্লক
field-not-set = দেওয়া হয়নি
field-date-placeholder = বছর-মাস-দিন
field-today = আজ

## ঝুঁকির মাত্রা ও ধাপ, রঙের পাশে লেখা

risk-high = উচ্চ ঝুঁকি
risk-medium = মাঝারি ঝুঁকি
risk-low = কম ঝুঁকি
risk-none = ঝুঁকি নির্ধারিত হয়নি
stage-new = নতুন
stage-assessment = মূল্যায়ন
stage-case_plan = কেস পরিকল্পনা
stage-service_provision = সেবা প্রদান
stage-services_implemented = সেবা সম্পন্ন
stage-closed = বন্ধ

## সেটিংস

settings-title = সেটিংস
settings-language = ভাষা
settings-user = { $name } হিসেবে লগইন করা
settings-device = এই ফোনের তথ্য আপনার পাসওয়ার্ড দিয়ে এনক্রিপ্ট করা।

## ত্রুটি

error-network = সার্ভারের সঙ্গে সংযোগ নেই। আপনার কাজ এই ফোনে সংরক্ষিত আছে।
error-unexpected = একটি সমস্যা হয়েছে: { $detail }

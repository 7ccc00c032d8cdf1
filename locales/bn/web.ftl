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
cases-flags = { $count ->
    [one] { $count }টি ফ্ল্যাগ
   *[other] { $count }টি ফ্ল্যাগ
}
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
case-not-found-why = হয়তো কেসটি অন্য কাউকে দেওয়া হয়েছে, কোনো রেফারেল শেষ হয়েছে, অথবা আপনার প্রবেশাধিকার বদলেছে। কেসটি এখনো দরকার হলে আপনার সুপারভাইজারকে জিজ্ঞেস করুন।
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

## সিঙ্ক: কেসের অবস্থা, অগ্রগতি, অমিল, ইতিহাস, না-পাঠানো, পর্যালোচনা, পুনর্বণ্টন

nav-conflicts = অমিল
nav-review = আলাদা রাখা
login-account-disabled = { $count ->
    [one] আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। যে একটি পরিবর্তন এখনো পাঠানো হয়নি সেটি পর্যালোচনার জন্য আপনার সুপারভাইজারের কাছে গেছে, আর এই ফোনে রাখা আপনার কেসের কপি মুছে ফেলা হয়েছে।
   *[other] আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। যে { $count }টি পরিবর্তন এখনো পাঠানো হয়নি সেগুলো পর্যালোচনার জন্য আপনার সুপারভাইজারের কাছে গেছে, আর এই ফোনে রাখা আপনার কেসের কপি মুছে ফেলা হয়েছে।
}
sync-state-synced = পাঠানো হয়েছে
sync-state-pending = এখনো পাঠানো হয়নি
sync-state-conflict = অমিল
sync-state-rejected = গৃহীত হয়নি
sync-downloading = কেস ডাউনলোড হচ্ছে: { $count }টির মধ্যে { $number }টি
sync-attachments = { $count ->
    [one] ১টি ফাইল আপলোডের অপেক্ষায়
   *[other] { $count }টি ফাইল আপলোডের অপেক্ষায়
}
sync-not-sent-link = { $count ->
    [one] ১টি পরিবর্তন গৃহীত হয়নি
   *[other] { $count }টি পরিবর্তন গৃহীত হয়নি
}
case-changed-on-server = সার্ভারে অন্য কেউও { $detail } পরিবর্তন করেছেন। আপনার মান এই ফোনে রাখা আছে; পরের সিঙ্কের পর দুটি মানই এখানে দেখানো হবে, কেসের দায়িত্বপ্রাপ্ত কর্মী বা সুপারভাইজার একটি বেছে নেবেন।
case-history = ইতিহাস
case-reassign = পুনর্বণ্টন
conflict-title = { $count ->
    [one] এই ঘরের মান নিয়ে অমিল: { $name }
    [2] এই ঘরের দুটি ভিন্ন মান: { $name }
   *[other] এই ঘরের { $count }টি ভিন্ন মান: { $name }
}
conflict-intro = { $count ->
    [2] দুজন এই ঘরে দুটি ভিন্ন মান দিয়েছেন। কিছুই হারায়নি: কোন মানটি রাখবেন তা বেছে নিন।
   *[other] { $count } জন এই ঘরে ভিন্ন ভিন্ন মান দিয়েছেন। কিছুই হারায়নি: কোন মানটি রাখবেন তা বেছে নিন।
}
conflict-by = { $name }, { $time }
conflict-device-time = ডিভাইসের জানানো সময়: { $time }
conflict-keep = এই মানটি রাখুন
conflict-keeping = সংরক্ষণ হচ্ছে…
conflict-offline = মান বেছে নিতে সার্ভারের সাথে সংযোগ লাগবে। আপনার ফোন এখন অফলাইন।
conflict-read-only = শুধু কেসের দায়িত্বপ্রাপ্ত কর্মী বা সুপারভাইজার মান বেছে নিতে পারেন।
conflict-empty-value = (খালি)
conflicts-title = সমাধানের অপেক্ষায় থাকা অমিল
conflicts-none = কোনো অমিল নেই। সব পরিবর্তন অমিল ছাড়াই সার্ভারে পৌঁছেছে।
conflicts-count = { $count ->
    [one] ১টি অমিল
   *[other] { $count }টি অমিল
}
conflicts-open-case = কেস খুলুন
conflicts-offline = অমিলের তালিকা দেখতে সার্ভারের সাথে সংযোগ লাগবে।
history-title = পরিবর্তনের ইতিহাস
history-empty = এখনো কোনো পরিবর্তন লিপিবদ্ধ হয়নি।
history-by = { $name }, সময় { $time }
history-resolution = অমিলের সমাধান
history-offline = ইতিহাস দেখতে সার্ভারের সাথে সংযোগ লাগবে।
not-sent-title = যে পরিবর্তন সার্ভার গ্রহণ করেনি
not-sent-intro = সার্ভার এই পরিবর্তনগুলো গ্রহণ করেনি। কী সংরক্ষিত হয়নি তা দেখার জন্য এগুলো এখানে রাখা আছে।
not-sent-none = সব পরিবর্তন গৃহীত হয়েছে।
not-sent-reason = কারণ: { $reason }
not-sent-new-case = নতুন কেস নিবন্ধন
not-sent-dismiss = পড়েছি, সরিয়ে দিন
not-sent-made = এই ফোনে করা হয়েছে: { $time }
review-title = পর্যালোচনার জন্য আলাদা রাখা পরিবর্তন
review-intro = সার্ভার এই পরিবর্তনগুলো কেসে যোগ করেনি, কারণ যে অ্যাকাউন্ট থেকে পাঠানো হয়েছে সেটি নিষ্ক্রিয় করা হয়েছে, অথবা পরিবর্তন পৌঁছানোর আগেই কেসটি প্রেরকের কাছ থেকে অন্যজনের কাছে হস্তান্তর করা হয়েছে। প্রতিটি নিজের নামে প্রয়োগ করুন, অথবা কারণ লিখে বাতিল করুন।
review-kept-account_disabled = নিষ্ক্রিয় করা একটি অ্যাকাউন্ট থেকে পাঠানো।
review-kept-not_owner_since = কেসটি অন্য দায়িত্বপ্রাপ্ত ব্যক্তির কাছে হস্তান্তরের পরে আগের দায়িত্বপ্রাপ্ত ব্যক্তি এটি পাঠিয়েছেন।
review-none = পর্যালোচনার জন্য কিছু অপেক্ষায় নেই।
review-from = পাঠিয়েছেন: { $name }; পাওয়া গেছে { $time }
review-apply = প্রয়োগ করুন
review-discard = বাতিল করুন
review-reason = বাতিলের কারণ
review-reason-required = বাতিল করার আগে কারণ লিখুন।
review-done-applied = প্রয়োগ করা হয়েছে
review-done-discarded = বাতিল করা হয়েছে
review-offline = পর্যালোচনা করতে সার্ভারের সাথে সংযোগ লাগবে।
reassign-title = কেসটি পুনর্বণ্টন করুন
reassign-done = কেসটি পুনর্বণ্টন করা হয়েছে। আগের কেসওয়ার্কারের পরের সিঙ্কে কেসটি তাঁর ফোন থেকে সরে যাবে।
reassign-offline = পুনর্বণ্টন করতে সার্ভারের সাথে সংযোগ লাগবে।

## Photo, audio, document and signature fields

attachment-add-photo = ছবি তুলুন বা বেছে নিন
attachment-add-file = ফাইল বেছে নিন
attachment-adding = যোগ করা হচ্ছে…
attachment-file = ফাইল
attachment-open = খুলুন
attachment-download = ডাউনলোড করে খুলুন
attachment-remove = সরান
attachment-state-waiting = আপলোডের অপেক্ষায়
attachment-state-uploading = আপলোড হচ্ছে { $number }%
attachment-state-verified = আপলোড ও যাচাই হয়েছে
attachment-state-not-on-device = সার্ভারে আছে, এই ফোনে এখনো নেই
attachment-too-large = ফাইলটি খুব বড়। সর্বোচ্চ { $number } এমবি পর্যন্ত ফাইল দেওয়া যায়।
attachment-add-failed = ফাইলটি যোগ করা যায়নি। অন্য একটি ফাইল চেষ্টা করুন।
attachment-open-failed = ফাইলটি খোলা যায়নি। ইন্টারনেটে যুক্ত হয়ে আবার চেষ্টা করুন।

## সিঙ্কের পরবর্তী কাজ: পরিবর্তন প্রত্যাহার, ব্যর্থতার বার্তা, নিষ্ক্রিয় অ্যাকাউন্ট, নেভিগেশন,
## পুনর্বণ্টনের জন্য কেসওয়ার্কার বাছাই, ইতিহাসে অমিলের সমাধান

case-withdraw = না-পাঠানো পরিবর্তন প্রত্যাহার করুন
case-withdraw-confirm = { $count ->
    [one] এই কেসের যে পরিবর্তনটি এখনো পাঠানো হয়নি, সেটি প্রত্যাহার করবেন? কেসটি আগের মানে ফিরে যাবে।
   *[other] এই কেসের যে { $count }টি পরিবর্তন এখনো পাঠানো হয়নি, সেগুলো প্রত্যাহার করবেন? কেসটি আগের মানে ফিরে যাবে।
}
case-withdraw-confirm-new = এই শিশুর নিবন্ধন প্রত্যাহার করবেন? এটি কখনো পাঠানো হয়নি, তাই কেসটি এই ফোন থেকে সরে যাবে।
case-withdraw-yes = প্রত্যাহার করুন
case-withdraw-no = আমার পরিবর্তন রাখুন
error-server = সার্ভার কাজটি সম্পন্ন করতে পারেনি। কিছুই হারায়নি। পরে আবার চেষ্টা করুন।
error-rejected = সার্ভার এটি গ্রহণ করেনি, তাই কিছুই পরিবর্তন হয়নি।
error-storage-full = এই ফোনের স্টোরেজ পূর্ণ, তাই কিছুই সংরক্ষিত হয়নি। কিছু জায়গা খালি করে আবার চেষ্টা করুন।
error-on-device = এই ফোনে একটি সমস্যা হয়েছে। আপনার সংরক্ষিত কাজ রাখা আছে। আবার চেষ্টা করুন, বারবার হলে আপনার সুপারভাইজারকে জানান।
login-account-disabled-kept = { $count ->
    [one] আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। একটি পরিবর্তন এখনো পাঠানো হয়নি; সেটি আপনার পাসওয়ার্ড দিয়ে সুরক্ষিত অবস্থায় এই ফোনেই আছে। অ্যাপ বা এর ডেটা মুছবেন না। আপনার সুপারভাইজারকে জানান: একজন অ্যাডমিনিস্ট্রেটর অল্প সময়ের জন্য আপনার অ্যাকাউন্ট সক্রিয় করলে এই ফোন সেটি পাঠিয়ে দেবে।
   *[other] আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। { $count }টি পরিবর্তন এখনো পাঠানো হয়নি; সেগুলো আপনার পাসওয়ার্ড দিয়ে সুরক্ষিত অবস্থায় এই ফোনেই আছে। অ্যাপ বা এর ডেটা মুছবেন না। আপনার সুপারভাইজারকে জানান: একজন অ্যাডমিনিস্ট্রেটর অল্প সময়ের জন্য আপনার অ্যাকাউন্ট সক্রিয় করলে এই ফোন সেগুলো পাঠিয়ে দেবে।
}
login-account-disabled-nothing-kept = আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে, তাই এই ফোন আর সিঙ্ক করতে পারবে না। এখনো প্রবেশাধিকার দরকার হলে আপনার সুপারভাইজারকে জানান।
login-account-disabled-files-kept = { $files ->
    [one] আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। একটি ফাইল (ছবি, রেকর্ডিং বা ডকুমেন্ট) এখনো আপলোড হয়নি; সেটি আপনার পাসওয়ার্ড দিয়ে সুরক্ষিত অবস্থায় এই ফোনেই আছে। অ্যাপ বা এর ডেটা মুছবেন না। আপনার সুপারভাইজারকে জানান: একজন অ্যাডমিনিস্ট্রেটর অল্প সময়ের জন্য আপনার অ্যাকাউন্ট সক্রিয় করলে এই ফোন সেটি আপলোড করে দেবে।
   *[other] আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। { $files }টি ফাইল (ছবি, রেকর্ডিং বা ডকুমেন্ট) এখনো আপলোড হয়নি; সেগুলো আপনার পাসওয়ার্ড দিয়ে সুরক্ষিত অবস্থায় এই ফোনেই আছে। অ্যাপ বা এর ডেটা মুছবেন না। আপনার সুপারভাইজারকে জানান: একজন অ্যাডমিনিস্ট্রেটর অল্প সময়ের জন্য আপনার অ্যাকাউন্ট সক্রিয় করলে এই ফোন সেগুলো আপলোড করে দেবে।
}
login-account-disabled-kept-with-files = আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। { $count ->
    [one] একটি পরিবর্তন
   *[other] { $count }টি পরিবর্তন
} ও { $files ->
    [one] একটি ফাইল (ছবি, রেকর্ডিং বা ডকুমেন্ট)
   *[other] { $files }টি ফাইল (ছবি, রেকর্ডিং বা ডকুমেন্ট)
} এখনো পাঠানো হয়নি; সেগুলো আপনার পাসওয়ার্ড দিয়ে সুরক্ষিত অবস্থায় এই ফোনেই আছে। অ্যাপ বা এর ডেটা মুছবেন না। আপনার সুপারভাইজারকে জানান: একজন অ্যাডমিনিস্ট্রেটর অল্প সময়ের জন্য আপনার অ্যাকাউন্ট সক্রিয় করলে এই ফোন সেগুলো পাঠিয়ে দেবে।
login-unsent-on-phone = { $count ->
    [one] এই ব্যবহারকারীর একটি পরিবর্তন এখনো পাঠানো হয়নি এবং এই ফোনেই আছে। অ্যাকাউন্ট নিষ্ক্রিয় করা হয়ে থাকলে সেটি উদ্ধারের জন্য আপনার সুপারভাইজারকে জানান।
   *[other] এই ব্যবহারকারীর { $count }টি পরিবর্তন এখনো পাঠানো হয়নি এবং এই ফোনেই আছে। অ্যাকাউন্ট নিষ্ক্রিয় করা হয়ে থাকলে সেগুলো উদ্ধারের জন্য আপনার সুপারভাইজারকে জানান।
}
nav-main = প্রধান মেনু
nav-cases-short = কেস
nav-new-short = নিবন্ধন
nav-conflicts-short = অমিল
nav-review-short = আলাদা রাখা
nav-settings-short = সেটিংস
nav-conflicts-count = { $count ->
    [one] অমিল, ১টি সমাধানের অপেক্ষায়
   *[other] অমিল, { $count }টি সমাধানের অপেক্ষায়
}
reassign-choose = নতুন কেসওয়ার্কার বেছে নিন
reassign-search = নাম বা ইউজার নেম দিয়ে খুঁজুন
reassign-loading = আপনার সংস্থার কেসওয়ার্কারদের তালিকা আসছে…
reassign-none = আপনার সংস্থার অন্য কোনো ব্যবহারকারী এই কেস নিতে পারেন না।
reassign-no-match = এই খোঁজে কাউকে পাওয়া যায়নি।
reassign-current = বর্তমান কেসওয়ার্কার
reassign-to-user = { $name }-কে পুনর্বণ্টন করুন
reassign-change = অন্য কাউকে বেছে নিন
history-resolution-kept = অমিলের সমাধান: রাখা হয়েছে { $value }

## Disabled accounts: what happened to this phone's data

login-account-disabled-nothing-sent = আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। সব পরিবর্তন আগেই সার্ভারে পৌঁছেছিল, আর এই ফোনে রাখা আপনার কেসের কপি মুছে ফেলা হয়েছে।
error-account-disabled-sending = আপনার অ্যাকাউন্ট নিষ্ক্রিয় করা হয়েছে। এই ফোন এখন না-পাঠানো পরিবর্তনগুলো আপনার সুপারভাইজারের কাছে পাঠাচ্ছে।

## Sync bar: a server that does not answer, and a download that stopped

sync-unreachable = সার্ভারে পৌঁছানো যায়নি, আবার চেষ্টা করা হচ্ছে
sync-download-incomplete = { $count }টির মধ্যে { $number }টি কেস ডাউনলোড হয়েছে; সংযোগ ফিরলে বাকিগুলো আসবে

## Conflict cards: who made each value, which one the case holds, disputed fields

conflict-intro-one-user = { $count ->
    [2] এই ঘরের দুটি মান, দুটিই একই ব্যবহারকারীর দেওয়া। কিছুই হারায়নি: কোন মানটি রাখবেন তা বেছে নিন।
   *[other] এই ঘরের { $count }টি মান, সবগুলোই একই ব্যবহারকারীর দেওয়া। কিছুই হারায়নি: কোন মানটি রাখবেন তা বেছে নিন।
}
conflict-current-value = কেসে এখনকার মান
conflict-your-value = আপনার মান
conflict-unknown-user = অন্য একজন ব্যবহারকারী
conflict-settled-elsewhere = অন্য একজন এই ঘরের অমিল আগেই মিটিয়ে ফেলেছেন: { $name }। আপনার বেছে নেওয়া মানটি সংরক্ষিত হয়নি। কেসে এখন আছে:
conflict-settled-elsewhere-not-refreshed = অন্য একজন এই ঘরের অমিল আগেই মিটিয়ে ফেলেছেন, তাই আপনার বেছে নেওয়া মানটি সংরক্ষিত হয়নি। পরের সিঙ্কের পর কেসে এখনকার মানটি দেখা যাবে।
case-field-disputed = এই ঘরে অমিল আছে: ওপরের মানগুলো দেখুন

## Changes not accepted: what to do next

not-sent-enter-again = পরিবর্তনটি এখনো সঠিক হলে কেসটি খুলে আবার লিখুন।
not-sent-case-gone = এই কেসটি আর এই ফোনে নেই: কেসটি অন্য কেসওয়ার্কারকে দেওয়া হয়েছে, অথবা আপনি আর এটি দেখতে পারেন না। পরিবর্তনটি এখনো দরকার হলে আপনার সুপারভাইজারকে জানান।
not-sent-registration-gone = এই নিবন্ধন সার্ভারে সংরক্ষিত হয়নি, তাই কেসটি আর এই ফোনে নেই। মানগুলো নিচে দেওয়া আছে। শিশুটিকে কীভাবে নিবন্ধন করবেন তা আপনার সুপারভাইজারের কাছে জেনে নিন।

## Kept-aside review: the case and its current values

review-current-value = কেসে এখন আছে:
review-case-not-on-phone = এই ফোনে নেই এমন একটি কেস

## Tasks, approvals, notifications

stage-reopened = আবার খোলা
nav-tasks = আমার কাজ
nav-tasks-short = কাজ
nav-tasks-count = { $count ->
    [one] কাজ, আজকের বা সময় পেরোনো { $count }টি
   *[other] কাজ, আজকের বা সময় পেরোনো { $count }টি
}
nav-notifications = বিজ্ঞপ্তি
nav-notifications-short = বিজ্ঞপ্তি
nav-notifications-count = { $count ->
    [one] বিজ্ঞপ্তি, { $count }টি পড়া হয়নি
   *[other] বিজ্ঞপ্তি, { $count }টি পড়া হয়নি
}
tasks-title = আমার কাজ
tasks-today = আজ { $date }।
tasks-none = এই সপ্তাহে কোনো কাজ বাকি নেই। কেস সংরক্ষণ করলে বা সিঙ্কের পরে নতুন কাজ এখানে দেখা যাবে।
tasks-overdue = সময় পেরিয়ে গেছে
tasks-due-today = আজ
tasks-this-week = এই সপ্তাহে
tasks-was-due = শেষ তারিখ ছিল { $date }
tasks-due-on = শেষ তারিখ { $date }
tasks-due-on-today = আজই শেষ তারিখ
tasks-waiting = আপনার উত্তরের অপেক্ষায়
tasks-child-hidden = শিশুর নাম আপনার সাথে শেয়ার করা হয়নি
tasks-server-not-yet = প্রথম সিঙ্কের পরে অনুমোদন ও রেফারেলের কাজ এখানে দেখা যাবে।
tasks-summary = ভাগ অনুযায়ী কাজ
tasks-show-all = সবগুলো দেখুন ({ $count }টি)
tasks-later = পরে
tasks-show-later = পরের কাজ দেখুন ({ $count }টি)
tasks-approvals-link = { $count ->
    [one] সিদ্ধান্তের অপেক্ষায় অনুমোদন: { $count }
   *[other] সিদ্ধান্তের অপেক্ষায় অনুমোদন: { $count }
}
task-assessment = মূল্যায়ন করতে হবে
task-case_plan = কেস পরিকল্পনা করতে হবে
task-service = সেবা দিতে হবে
task-follow_up = ফলো-আপ ভিজিট করতে হবে
task-approval = অনুমোদনের অনুরোধে সিদ্ধান্ত দিন
task-approval-assessment = মূল্যায়ন অনুমোদন করুন
task-approval-case_plan = কেস পরিকল্পনা অনুমোদন করুন
task-approval-closure = কেস বন্ধের অনুমোদন দিন
task-referral = রেফারেলের উত্তর দিন
task-referral_service = রেফার করা সেবার তথ্য লিখুন
task-transfer = হস্তান্তরের উত্তর দিন
task-approval_rejected = অনুমোদিত হয়নি: পরিবর্তন করে আবার অনুরোধ করুন
task-approval_rejected-assessment = মূল্যায়ন অনুমোদিত হয়নি: পরিবর্তন করে আবার অনুরোধ করুন
task-approval_rejected-case_plan = কেস পরিকল্পনা অনুমোদিত হয়নি: পরিবর্তন করে আবার অনুরোধ করুন
task-approval_rejected-closure = কেস বন্ধ অনুমোদিত হয়নি: মন্তব্যটি পড়ুন
approval-title-assessment = মূল্যায়ন
approval-title-case_plan = কেস পরিকল্পনা
approval-title-closure = কেস বন্ধ
approval-status-pending = অনুমোদনের অপেক্ষায়
approval-status-approved = অনুমোদিত
approval-status-rejected = অনুমোদিত হয়নি
approval-status-withdrawn = প্রত্যাহার করা হয়েছে
approvals-title = অনুমোদন
approvals-offline = ফোন অফলাইনে আছে। অনুরোধগুলো পড়া যাবে, কিন্তু অনুমোদন দিতে বা না দিতে সংযোগ লাগবে।
approvals-none = কোনো অনুরোধ সিদ্ধান্তের অপেক্ষায় নেই।
approvals-mine = আপনার অনুরোধ
approvals-requested-by = অনুরোধ করেছেন { $name }, { $time }
approvals-comment = মন্তব্য
approvals-comment-hint = অনুমোদন না দিলে লাগবে: কী বদলাতে হবে তা লিখুন।
approvals-approve = অনুমোদন দিন
approvals-reject = অনুমোদন দেবেন না
approvals-withdraw = অনুরোধ প্রত্যাহার করুন
approvals-reject-needs-comment = কী বদলাতে হবে তা মন্তব্যে লিখুন, তারপর "অনুমোদন দেবেন না" বেছে নিন।
approvals-done-approve = অনুমোদিত: { $name }।
approvals-done-reject = অনুমোদিত হয়নি: { $name }। কেসওয়ার্কার তাঁর কাজের তালিকায় আপনার মন্তব্য দেখবেন।
approvals-done-withdraw = অনুরোধ প্রত্যাহার করা হয়েছে: { $name }।
approvals-state-changed = এই অনুরোধে অন্য কেউ আগেই সিদ্ধান্ত দিয়েছেন ({ $name })। তালিকাটি হালনাগাদ হচ্ছে।
case-approvals-title = অনুমোদন
case-approval-request-assessment = মূল্যায়নের অনুমোদন চান
case-approval-request-case_plan = কেস পরিকল্পনার অনুমোদন চান
case-approval-request-closure = কেস বন্ধের অনুমোদন চান
case-approval-comment = সুপারভাইজারের জন্য মন্তব্য (ঐচ্ছিক)
case-approval-waiting-to-send = পাঠানোর অপেক্ষায়
case-approval-not-sent = পাঠানো যায়নি। { $reason }
case-approval-by = { $name }, সময়: { $time }
case-close = কেস বন্ধ করুন
case-close-hint = প্রথমে কেস বন্ধের ফর্মে কারণ লিখুন, তারপর সুপারভাইজারের অনুমোদন চান।
case-reopen = কেস আবার খুলুন
case-reopen-reason = কেসটি কেন আবার খোলা হচ্ছে?
case-reopen-offline = কেস আবার খুলতে সংযোগ লাগবে। ফোন অনলাইনে এলে আবার চেষ্টা করুন।
flags-title = ফ্ল্যাগ
flags-add = ফ্ল্যাগ যোগ করুন
flags-text = ফ্ল্যাগ
flags-text-hint = এই কেসে যাঁরা কাজ করেন তাঁদের সবার জন্য ছোট একটি সতর্কবার্তা, যেমন "চাচার সাথে যোগাযোগ করবেন না"।
flags-by = যোগ করেছেন { $name }, { $time }
flags-remove = ফ্ল্যাগ সরান
flags-remove-reason = ফ্ল্যাগটি কেন সরানো হচ্ছে?
flags-cancel = বাতিল
flags-offline = ফ্ল্যাগের জন্য সংযোগ লাগবে। ফোন অনলাইনে এলে আবার চেষ্টা করুন।
notifications-title = বিজ্ঞপ্তি
notifications-read-all = সবগুলো পড়া হয়েছে চিহ্নিত করুন
notifications-unread = { $count ->
    [one] { $count }টি পড়া হয়নি
   *[other] { $count }টি পড়া হয়নি
}
notifications-all-read = সব পড়া হয়েছে।
notifications-none = এখনো কোনো বিজ্ঞপ্তি নেই।
notifications-new = নতুন
not-sent-action-approval = অনুমোদনের অনুরোধ
not-sent-action-referral = রেফারেল
not-sent-action-transfer = হস্তান্তর
not-sent-action-transfer_request = কেসের দায়িত্ব চেয়ে অনুরোধ

## Referrals and transfers

nav-referrals = রেফারেল ও হস্তান্তর
nav-referrals-short = রেফারেল
sharing-title = শেয়ার
sharing-refer = সেবার জন্য রেফার করুন
sharing-transfer-case = কেসটি হস্তান্তর করুন
sharing-ask-for-case = কেসটির দায়িত্ব চেয়ে অনুরোধ করুন
sharing-none = এই কেস কোথাও রেফার বা হস্তান্তর করা হয়নি।
sharing-offline = ফোন অনলাইনে থাকলে এই কেসের রেফারেল ও হস্তান্তর দেখা যাবে।
sharing-waiting-to-send = পাঠানোর অপেক্ষায়
sharing-not-sent = পাঠানো যায়নি: { $reason }
sharing-dismiss = পড়েছি, সরিয়ে দিন
sharing-referral-to = { $name }: { $detail } সেবার জন্য রেফারেল
sharing-transfer-to = হস্তান্তর: { $name }
sharing-request-sent = কেসটির দায়িত্ব চেয়ে অনুরোধ
sharing-transfer = কেস হস্তান্তর
sharing-transfer-request = কেসের দায়িত্ব চেয়ে অনুরোধ
sharing-from = প্রেরক: { $name }, { $detail }
sharing-to-person = প্রাপক: { $name }, { $detail }
sharing-to-agency = প্রাপক: { $name }
sharing-form-not-shared = এই ফর্মটি আপনার সাথে শেয়ার করা হয়নি। যিনি কেসটি রেফার করেছেন, তিনি যে ফর্মগুলো বেছে নিয়েছেন শুধু সেগুলোই দেখানো হয়।
consent-recorded = অন্য সংস্থার সাথে তথ্য শেয়ারের সম্মতি এই কেসে লেখা আছে।
consent-not-recorded = অন্য সংস্থার সাথে তথ্য শেয়ারের সম্মতি এই কেসে লেখা নেই।
consent-internal = প্রাপক এই কেসের নিজের সংস্থায় কাজ করেন, তাই শেয়ারের সম্মতি লাগবে না।
consent-blocked = তথ্য শেয়ারের সম্মতি লেখার পরেই কেসটি অন্য সংস্থায় পাঠানো যাবে। আগে সম্মতি লিখুন।
consent-record-first = সম্মতির ফর্ম খুলুন
consent-override-warning = শুধু শিশুর নিরাপত্তা বা সর্বোত্তম স্বার্থে প্রয়োজন হলে সম্মতি ছাড়া শেয়ার করা যায়। কারণ লিখুন: আপনার নামসহ কারণটি অডিট লগে সংরক্ষিত থাকবে।
consent-override-reason = সম্মতি ছাড়া শেয়ারের কারণ
consent-override-reason-missing = সম্মতি ছাড়া শেয়ারের কারণ লিখুন।
refer-title = রেফার করুন: { $name }
refer-offline = ফোন অফলাইনে আছে। রেফারেলটি এই ফোনে সংরক্ষিত থাকবে এবং পরের সিঙ্কে পাঠানো হবে।
refer-service = প্রয়োজনীয় সেবা
refer-choose-service = সেবা বেছে নিন
refer-service-missing = শিশুর প্রয়োজনীয় সেবাটি বেছে নিন।
refer-loading = সংস্থাগুলোর তালিকা আসছে…
refer-agency = সংস্থা
refer-agency-missing = কোন সংস্থায় রেফার করবেন তা বেছে নিন।
refer-provides = এই সেবা দেয়
refer-not-listed = এই সেবা তালিকায় নেই
refer-other-agencies = যে সংস্থাগুলোর তালিকায় এই সেবা নেই ({ $count })
refer-change-agency = অন্য সংস্থা বেছে নিন
refer-person-hint = রেফারেলটি একজন নির্দিষ্ট ব্যক্তিকে, অথবা সংস্থার যে কেউ রেফারেল গ্রহণ করেন তাঁদের কাছে পাঠাতে পারেন।
refer-anyone = সংস্থার যে কেউ যিনি রেফারেল গ্রহণ করেন: { $name }
refer-no-receivers = এই সংস্থার কেউ সাথীতে রেফারেল গ্রহণ করতে পারেন না, তাই সেখানে রেফারেল পাঠানো যাবে না। অন্য সংস্থা বেছে নিন, অথবা কোনো ব্যবহারকারীকে এই ভূমিকা দিতে সেই সংস্থার প্রশাসককে অনুরোধ করুন।
refer-person-offline = অফলাইনে রেফারেল সংস্থার কাছে যায়। সেখানে যিনি রেফারেল গ্রহণ করেন তিনি উত্তর দিতে পারবেন।
refer-forms = প্রাপক যে ফর্মগুলো দেখতে পারবেন
refer-forms-hint = প্রাপক শুধু এখানে টিক দেওয়া ফর্মগুলো দেখবেন। কেসটি কার, তা জানাতে এই ফর্মটি সবসময় শেয়ার হয়: { $name }।
refer-forms-not-offered = প্রাপকের ভূমিকায় এই ফর্মগুলো দেখার অনুমতি নেই, তাই দেওয়া হয়নি:
refer-note = প্রাপকের জন্য নোট
refer-note-hint = শিশুর কী প্রয়োজন এবং প্রাপকের আগে কী জানা দরকার। শেয়ার করা ফর্মে যা আছে তা আবার লিখবেন না।
refer-send = রেফারেল পাঠান
refer-save-offline = সংরক্ষণ করুন, অনলাইনে পাঠানো হবে
refer-open-existing = অপেক্ষমাণ রেফারেলটি খুলুন
refer-done-title = রেফারেল
refer-sent = রেফারেল পাঠানো হয়েছে: { $name }, { $detail }।
refer-queued = এই ফোনে সংরক্ষিত হয়েছে। পরের সিঙ্কে পাঠানো হবে; ততক্ষণ কেসে এটি "পাঠানোর অপেক্ষায়" দেখাবে।
refer-back-to-case = কেসে ফিরে যান
refer-open-sent = রেফারেলটি খুলুন
referrals-title = রেফারেল ও হস্তান্তর
referrals-boxes = আসা বা পাঠানো
referrals-incoming = আসা
referrals-sent = পাঠানো
referrals-loading = আসছে…
referrals-none-incoming = আপনার জন্য কোনো রেফারেল বা হস্তান্তর অপেক্ষায় নেই।
referrals-none-sent = আপনার কোনো চলমান রেফারেল বা হস্তান্তর নেই।
referrals-offline = ফোন অফলাইনে আছে। পরের সিঙ্কের পরে আসা রেফারেল দেখা যাবে।
referrals-offline-saved = ফোন অফলাইনে আছে। এগুলো { $time } সময়ের চলমান রেফারেল।
referrals-offline-sent = ফোন অফলাইনে আছে। অনলাইনে এলে পাঠানো রেফারেল দেখা যাবে; এই ফোনে তৈরি করা রেফারেল এখানে আছে।
referrals-closed = বন্ধ ({ $count })
referral-status-pending = উত্তরের অপেক্ষায়
referral-status-accepted = গৃহীত
referral-status-rejected = প্রত্যাখ্যাত
referral-status-done = সম্পন্ন
referral-status-revoked = প্রত্যাহার করা হয়েছে
referral-status-ended = শেষ করা হয়েছে
referral-title = রেফারেল: { $name }
referral-loading = আসছে…
referral-offline-unknown = এই রেফারেলটি এই ফোনে সংরক্ষিত নেই। ফোন অনলাইনে এলে আবার খুলুন।
referral-gone = এই রেফারেলটি এখন আর আপনার জন্য নেই। হয়তো এটি প্রত্যাহার বা বন্ধ করা হয়েছে।
referral-back = সব রেফারেল ও হস্তান্তর
referral-from = প্রেরক
referral-to = প্রাপক
referral-to-anyone = সংস্থার যে কেউ যিনি রেফারেল গ্রহণ করেন: { $name }
referral-shared-forms = শেয়ার করা ফর্ম
referral-consent = সম্মতি
referral-consent-given = শেয়ারের সম্মতি লেখা আছে
referral-consent-internal = সংস্থার ভেতরে, সম্মতি লাগে না
referral-consent-override = সম্মতি ছাড়া পাঠানো, কারণ অডিট লগে আছে
referral-note = নোট
referral-reason = কারণ
referral-sent-at = পাঠানোর সময়
referral-updated-at = সর্বশেষ পরিবর্তন
referral-now = এই রেফারেলের অবস্থা এখন: { $value }।
referral-needs-connection = উত্তর দিতে সার্ভারের সাথে সংযোগ লাগবে।
referral-accept = গ্রহণ করুন
referral-reject = প্রত্যাখ্যান করুন
referral-mark-done = সম্পন্ন হিসেবে চিহ্নিত করুন
referral-revoke = প্রত্যাহার করুন
referral-end = রেফারেল শেষ করুন
referral-keep = ফিরে যান
referral-accept-question = এই রেফারেল গ্রহণ করবেন? সেবার দায়িত্ব আপনার হবে, আর শেয়ার করা ফর্মসহ কেসটি আপনার ফোনে খুলবে।
referral-reject-question = এই রেফারেল প্রত্যাখ্যান করবেন? প্রেরক আপনার কারণ দেখতে পাবেন।
referral-done-question = এই রেফারেল সম্পন্ন হিসেবে চিহ্নিত করবেন? কেসে আপনার প্রবেশাধিকার শেষ হবে, আর পরের সিঙ্কে কেসটি আপনার ফোন থেকে সরে যাবে।
referral-revoke-question = এই রেফারেল প্রত্যাহার করবেন? প্রাপক আর কেসটি খুলতে পারবেন না।
referral-end-question = এই রেফারেল শেষ করবেন? প্রাপক আর কেসটি খুলতে পারবেন না।
referral-reject-reason = কারণ
referral-reason-missing = কারণ লিখুন।
referral-done-note = কী সেবা দেওয়া হয়েছে (ঐচ্ছিক)
referral-end-reason = কারণ (ঐচ্ছিক)
transfers-title = হস্তান্তর
transfer-status-pending = উত্তরের অপেক্ষায়
transfer-status-accepted = গৃহীত
transfer-status-rejected = প্রত্যাখ্যাত
transfer-status-revoked = প্রত্যাহার করা হয়েছে
transfer-title = হস্তান্তর করুন: { $name }
transfer-intro = নতুন কেসওয়ার্কার গ্রহণ করলে কেসটি তাঁর কাছে যাবে। ততক্ষণ কেসের দায়িত্ব আপনার।
transfer-offline = ফোন অফলাইনে আছে। এটি এই ফোনে সংরক্ষিত থাকবে এবং পরের সিঙ্কে পাঠানো হবে।
transfer-agency = সংস্থা
transfer-choose-agency = সংস্থা বেছে নিন
transfer-agency-missing = সংস্থা বেছে নিন।
transfer-person = কেসওয়ার্কার
transfer-choose-person = কেসওয়ার্কার বেছে নিন
transfer-anyone = সংস্থার যে কেউ যিনি কেসটি নিতে পারেন: { $name }
transfer-person-offline = নিজের সংস্থার কেসওয়ার্কার বেছে নিতে সংযোগ লাগবে।
transfer-to-agency-hint = হস্তান্তরটি যাবে: { $name }। সেখানকার একজন কেসওয়ার্কার এটি গ্রহণ করবেন।
transfer-note = নতুন কেসওয়ার্কারের জন্য নোট
transfer-send = হস্তান্তর পাঠান
transfer-sent = হস্তান্তর পাঠানো হয়েছে: { $name }। গ্রহণ না করা পর্যন্ত কেসের দায়িত্ব আপনার।
transfer-request-title = কেসের দায়িত্ব চেয়ে অনুরোধ: { $name }
transfer-request-intro = কেসের মালিক বা তাঁর সুপারভাইজার সিদ্ধান্ত নেবেন। তাঁরা গ্রহণ করলে কেসটি আপনার হবে।
transfer-request-note = কেন কেসটির দায়িত্ব আপনার নেওয়া উচিত
transfer-request-send = অনুরোধ পাঠান
transfer-request-sent = অনুরোধ পাঠানো হয়েছে। কেসের মালিক বা তাঁর সুপারভাইজার সিদ্ধান্ত নেবেন।
transfer-gone = এই হস্তান্তরটি এখন আর আপনার জন্য নেই।
transfer-now = এই হস্তান্তরের অবস্থা এখন: { $value }।
transfer-accept = গ্রহণ করুন
transfer-reject = প্রত্যাখ্যান করুন
transfer-revoke = প্রত্যাহার করুন
transfer-accept-question = এই হস্তান্তর গ্রহণ করবেন? কেসটি তার কাজ ও ফলো-আপসহ আপনার হবে।
transfer-request-accept-question = কেসটি দিয়ে দেবেন? গ্রহণ করলে কেসটি আপনার কেসের তালিকা থেকে সরে যাবে। অনুরোধকারী: { $name }
transfer-reject-question = এই হস্তান্তর প্রত্যাখ্যান করবেন? প্রেরক আপনার কারণ দেখতে পাবেন।
transfer-revoke-question = এই হস্তান্তর প্রত্যাহার করবেন? কেসটি বর্তমান মালিকের কাছেই থাকবে।

# Push
push-title = এই ফোনে বিজ্ঞপ্তি
push-off = নতুন রেফারেল, হস্তান্তর, অনুমোদনের অনুরোধ ও সিদ্ধান্তের বিজ্ঞপ্তি এই ফোনে পান, সাথী বন্ধ থাকলেও।
push-on = এই ফোনে বিজ্ঞপ্তি চালু আছে।
push-unsupported = অ্যাপ বন্ধ থাকলে এই ব্রাউজার সাথীর বিজ্ঞপ্তি দেখাতে পারে না। নতুন বিজ্ঞপ্তি অ্যাপের "বিজ্ঞপ্তি" অংশে দেখা যাবে।
push-denied = এই ব্রাউজারের সেটিংসে সাথীর বিজ্ঞপ্তি বন্ধ করা আছে। সেখানে অনুমতি দিন, তারপর এখানে চালু করুন। নতুন বিজ্ঞপ্তি অ্যাপের ভেতরে দেখা যাবে।
push-server-off = এই সার্ভার ফোনে বিজ্ঞপ্তি পাঠায় না। নতুন বিজ্ঞপ্তি অ্যাপের ভেতরে দেখা যাবে।
push-failed = এই ফোনটি বিজ্ঞপ্তির জন্য নিবন্ধন করা যায়নি। ব্রাউজারের পুশ সার্ভিসে পৌঁছানো যাচ্ছে না, অথবা ফোনটি অফলাইনে আছে। নতুন বিজ্ঞপ্তি অ্যাপের ভেতরে দেখা যাবে। পরে আবার চেষ্টা করুন।
push-turn-on = বিজ্ঞপ্তি চালু করুন
push-turn-off = বিজ্ঞপ্তি বন্ধ করুন
push-working = অপেক্ষা করুন…

## Dashboards
nav-dashboard = ড্যাশবোর্ড
nav-dashboard-short = সারাংশ
nav-reports = রিপোর্ট
nav-reports-short = রিপোর্ট
dash-title = ড্যাশবোর্ড
dash-as-of = { $time } পর্যন্ত হিসাব
dash-as-of-phone = এই ফোনের কেস থেকে হিসাব, { $time } পর্যন্ত
dash-loading = গণনা চলছে…
dash-offline = এই সংখ্যাগুলো সার্ভারে গণনা হয়, তাই ইন্টারনেট সংযোগ লাগে। ফোন আবার অনলাইনে এলে দেখা যাবে।
dash-none = আপনার ভূমিকার জন্য কোনো ড্যাশবোর্ড নেই।
dash-back = ড্যাশবোর্ডে ফিরে যান
dash-panel-empty = এখনো গণনা করার মতো কিছু নেই।
dash-panel-by-agency = সংস্থা অনুযায়ী, ড্যাশবোর্ডের একই হিসাব থেকে।
dash-suppressed = <{ $threshold }
dash-suppressed-legend = “<{ $threshold }” দিয়ে লুকানো সংখ্যা বোঝানো হয়: { $threshold }-এর কম কোনো সংখ্যা, অথবা তার পাশের একটি সংখ্যা, যাতে ছোট সংখ্যাটি হিসাব করে বের করা না যায়। এতে সংখ্যা দেখে কোনো শিশুকে চেনা যায় না।
dash-owner-unknown = এই ফোনের তালিকায় নেই এমন কেসওয়ার্কার
dash-age-range = { $range } বছর
dash-days = { $count } দিন
dash-panel-my_open_total = আমার চলমান কেস
dash-panel-my_open_by_risk = ঝুঁকি অনুযায়ী আমার চলমান কেস
dash-panel-my_open_by_stage = ধাপ অনুযায়ী আমার চলমান কেস
dash-panel-my_tasks = আমার কাজ
dash-panel-my_incoming = আমার উত্তরের অপেক্ষায়
dash-panel-team_open_by_owner = কেসওয়ার্কার অনুযায়ী চলমান কেস
dash-panel-approvals_pending = সিদ্ধান্তের অপেক্ষায় অনুমোদন
dash-panel-team_overdue_by_owner = কেসওয়ার্কার অনুযায়ী সময় পেরোনো কাজ
dash-panel-new_to_assign = দায়িত্ব দেওয়ার অপেক্ষায় নতুন কেস
dash-panel-team_open_by_risk = ঝুঁকি অনুযায়ী দলের চলমান কেস
dash-panel-open_total = চলমান কেস
dash-panel-open_by_camp = ক্যাম্প অনুযায়ী চলমান কেস
dash-panel-open_by_concern = সুরক্ষা উদ্বেগ অনুযায়ী চলমান কেস
dash-panel-open_by_sex = লিঙ্গ অনুযায়ী চলমান কেস
dash-panel-open_by_age_range = বয়স অনুযায়ী চলমান কেস
dash-panel-opened_by_month = প্রতি মাসে নিবন্ধিত কেস
dash-panel-closed_by_month = প্রতি মাসে বন্ধ কেস
dash-panel-referrals_sent_by_service = সেবা অনুযায়ী পাঠানো রেফারেল
dash-panel-referrals_received_by_agency = রেফারকারী সংস্থা অনুযায়ী পাওয়া রেফারেল
dash-panel-days_to_assessment = নিবন্ধন থেকে মূল্যায়ন পর্যন্ত দিন
dash-panel-days_to_case_plan = নিবন্ধন থেকে কেস পরিকল্পনা অনুমোদন পর্যন্ত দিন
dash-panel-open_by_agency = সংস্থা অনুযায়ী চলমান কেস
dash-number-my_open_total = { $count }টি চলমান কেস
dash-number-approvals_pending = { $count }টি অনুরোধ আপনার সিদ্ধান্তের অপেক্ষায়
dash-number-new_to_assign = { $count }টি নতুন কেস, দায়িত্ব না দেওয়া পর্যন্ত আপনার কাছে
dash-number-open_total = { $count }টি চলমান কেস
dash-counts-cases = কেসের সংখ্যা
dash-counts-children = শিশুর সংখ্যা
dash-counts-referrals = রেফারেলের সংখ্যা
dash-counts-tasks = কাজের সংখ্যা
dash-counts-approvals = অনুরোধের সংখ্যা
dash-counts-days = দিন
dash-dimension-total = সব
dash-dimension-risk_level = ঝুঁকি
dash-dimension-stage = ধাপ
dash-dimension-owner = কেসওয়ার্কার
dash-dimension-camp = ক্যাম্প
dash-dimension-concern = সুরক্ষা উদ্বেগ
dash-dimension-sex = লিঙ্গ
dash-dimension-age_range = বয়স
dash-dimension-month = মাস
dash-dimension-agency = সংস্থা
dash-dimension-service = সেবা
dash-dimension-bucket = কখন
dash-dimension-kind = কী
dash-key-none = উল্লেখ নেই
dash-key-total = সব
dash-key-age-unknown = বয়স উল্লেখ নেই
dash-key-referrals = গ্রহণ বা প্রত্যাখ্যানের অপেক্ষায় রেফারেল
dash-key-transfers = গ্রহণ বা প্রত্যাখ্যানের অপেক্ষায় হস্তান্তর
dash-key-overdue = সময় পেরিয়ে গেছে
dash-key-today = আজ করতে হবে
dash-key-week = এই সপ্তাহে করতে হবে
dash-key-median = মধ্যমা
dash-key-p90 = ১০টির মধ্যে ৯টি কেস যত দিনের মধ্যে
dash-key-cases = যতগুলো কেস মাপা হয়েছে

## Lists opened from a figure
filters-active = এই তালিকার ফিল্টার
filters-remove = ফিল্টার সরান: { $name }
filter-stage = ধাপ: { $value }
filter-owner = কেসওয়ার্কার: { $name }
filter-agency = সংস্থা: { $name }
filter-sex = লিঙ্গ: { $value }
filter-age-on = বয়স { $range }, { $date } তারিখে
filter-as-of = বয়স { $date } তারিখের হিসাবে
filter-location = স্থান: { $name }
filter-concern = উদ্বেগ: { $name }
filter-registered = নিবন্ধন { $range }
filter-closed = বন্ধ { $range }
filter-range = { $from } থেকে { $to }
filter-from = { $date } থেকে
filter-to = { $date } পর্যন্ত
filter-assessed = মূল্যায়ন সম্পন্ন
filter-case-plan-approved = কেস পরিকল্পনা অনুমোদিত
filter-not-assessed = মূল্যায়ন সম্পন্ন হয়নি
filter-case-plan-not-approved = কেস পরিকল্পনা অনুমোদিত হয়নি
server-list-loading = কেস আসছে…
server-list-more = আরও দেখুন ({ $count }টির মধ্যে { $shown }টি দেখানো হচ্ছে)
server-list-offline = এই তালিকা সার্ভার থেকে আসে, তাই ইন্টারনেট সংযোগ লাগে।
tasks-count = { $count }টি কাজ
tasks-none-here = এখানে কোনো কাজ নেই।
referrals-all-incoming = আসা সব রেফারেল ও হস্তান্তর
referrals-none-here = মিলে যায় এমন কোনো রেফারেল নেই।

## Reports
reports-title = রিপোর্ট
reports-offline = রিপোর্ট সার্ভারে গণনা হয়, তাই ইন্টারনেট সংযোগ লাগে।
reports-working = গণনা চলছে…
reports-show = দেখুন
reports-download-xlsx = এক্সেল (XLSX) ডাউনলোড
reports-download-csv = CSV ডাউনলোড
reports-monthly-title = মাসিক সমন্বয় রিপোর্ট
reports-monthly-hint = সাব-সেক্টর প্রতি মাসে যে রিপোর্ট শেয়ার করে। এতে ছোট সংখ্যা সবসময় লুকানো থাকে।
reports-month = মাস
reports-as-of = { $month }, বয়স { $date } তারিখের হিসাবে
reports-pivot-title = টেবিল তৈরি করুন
reports-measure = কী গণনা হবে
reports-rows = সারি
reports-columns = কলাম
reports-columns-none = কোনো কলাম নয়
reports-filters = শুধু এগুলো গণনা করুন
reports-filter-month = যে মাসে নিবন্ধন বা রেফারেল
reports-registered-from = নিবন্ধনের তারিখ, থেকে
reports-registered-to = নিবন্ধনের তারিখ, পর্যন্ত
reports-as-of-date = যে তারিখের বয়স
reports-as-of-hint = এই তারিখে যে শিশুর জন্মদিন, তাকে নতুন বয়সে গণনা করা হয়।
reports-date-invalid = তারিখ বছর-মাস-দিন আকারে লিখুন, যেমন ২০২৬-১১-৩০।
reports-for-sharing = আমার সংস্থার বাইরে শেয়ার করার জন্য
reports-for-sharing-hint = নির্ধারিত সীমার চেয়ে ছোট সংখ্যা লুকিয়ে রাখে, যাতে টেবিলটি সংস্থার বাইরে দেওয়া যায়।
reports-for-sharing-always = আপনার হিসাবে একাধিক সংস্থা আছে, তাই ছোট সংখ্যা সবসময় লুকানো থাকে।
reports-suppressed-cells = { $count }টি সংখ্যা লুকানো আছে।

## কেস ইমপোর্ট, এক্সপোর্ট ও কেসের PDF

nav-import = কেস ইমপোর্ট
nav-import-short = ইমপোর্ট
import-title = কেস ইমপোর্ট
import-offline = ইমপোর্ট সার্ভারে চলে, তাই ইন্টারনেট সংযোগ লাগবে।
import-working = কাজ চলছে…
import-upload-title = ১. ফাইল বাছাই করুন
import-upload-hint = CSV বা Excel (XLSX) হিসেবে সংরক্ষিত স্প্রেডশিট, যার প্রতিটি সারিতে একটি কেস আর প্রথম সারিতে কলামের নাম, অথবা পুরোনো কেস সিস্টেমের JSON এক্সপোর্ট। যাচাইয়ের পর ইমপোর্ট না করা পর্যন্ত কিছুই সংরক্ষণ হয় না।
import-choose-file = ফাইল
import-format = ফাইলের ধরন
import-format-csv = CSV স্প্রেডশিট
import-format-xlsx = Excel ওয়ার্কবুক (XLSX)
import-format-incumbent = পুরোনো কেস সিস্টেমের JSON এক্সপোর্ট
import-upload = আপলোড করে কলামগুলো পড়ুন
import-file = ফাইল: { $name }
import-mapping-title = ২. কলামগুলো ফিল্ডের সাথে মেলান
import-mapping-hint = প্রতিটি কলাম কোন ফিল্ডে যাবে তা বাছাই করুন। "ইমপোর্ট করবেন না" রাখা কলামগুলো বাদ যাবে।
import-saved-mappings = সংরক্ষিত মিলানো
import-saved-choose = একটি সংরক্ষিত মিলানো ব্যবহার করুন…
import-sample = যেমন: { $values }
import-field-none = ইমপোর্ট করবেন না
import-column-none = কোনোটি নয়
import-date-format = তারিখ যেভাবে লেখা
import-date-format-hint = পুরো ফাইলের জন্য একটি ফরম্যাট। বছর-মাস-দিন আকারে লেখা তারিখ সবসময় বোঝা যায়।
import-date-slash-dmy = দিন/মাস/বছর, যেমন ৩১/১২/২০১৫
import-date-slash-mdy = মাস/দিন/বছর, যেমন ১২/৩১/২০১৫
import-date-iso = বছর-মাস-দিন, যেমন ২০১৫-১২-৩১
import-date-dash-dmy = দিন-মাস-বছর, যেমন ৩১-১২-২০১৫
import-date-dot-dmy = দিন.মাস.বছর, যেমন ৩১.১২.২০১৫
import-external-id = পুরোনো সিস্টেমের কেস নম্বরের কলাম
import-external-id-hint = যে সারির নম্বর আগে ইমপোর্ট হয়েছে, সেটি নতুন কেস না বানিয়ে আগের কেসটি হালনাগাদ করে।
import-case-id = সাথী কেস আইডির কলাম
import-case-id-hint = শুধু সাথী থেকে এক্সপোর্ট করা ফাইলের জন্য: প্রতিটি সারি সেই আইডির কেসটি হালনাগাদ করে।
import-owner = নতুন কেসগুলোর কেসওয়ার্কার
import-owner-hint = নতুন কেসগুলো এই ব্যক্তির কেসলোডে যাবে।
import-owner-choose = একজন কেসওয়ার্কার বাছাই করুন
import-mapping-name = এই মিলানোটি যে নামে সংরক্ষণ করবেন
import-save-mapping = সংরক্ষণ
import-mapping-saved = "{ $name }" নামে সংরক্ষণ হয়েছে।
import-dry-run = ফাইলটি যাচাই করুন (কিছুই সংরক্ষণ হবে না)
import-checking = প্রতিটি সারি যাচাই করা হচ্ছে…
import-running = ইমপোর্ট হচ্ছে…
import-progress-label = অগ্রগতি
import-progress = { $total }টি সারির মধ্যে { $done }টি
import-progress-rows = এ পর্যন্ত { $done }টি সারি
import-dry-run-title = ৩. যাচাইয়ের ফল
import-dry-run-hint = এখনো কিছুই সংরক্ষণ হয়নি। বাতিল সারিগুলো ফাইলে ঠিক করে আবার যাচাই করুন, অথবা ঠিক সারিগুলো এখনই ইমপোর্ট করুন।
import-done-title = ইমপোর্ট শেষ হয়েছে
import-would-created = নতুন কেস
import-would-updated = হালনাগাদ হবে এমন কেস
import-would-unchanged = পরিবর্তন নেই এমন সারি
import-would-rejected = বাতিল সারি
import-did-created = তৈরি হওয়া কেস
import-did-updated = হালনাগাদ হওয়া কেস
import-did-unchanged = পরিবর্তন নেই এমন সারি
import-did-rejected = বাতিল সারি
import-rejected-title = বাতিল সারিগুলো
import-row = সারি
import-reason = কারণ
import-reason-in-column = { $column } কলাম: { $message }
import-rejected-more = { $total }টি বাতিল সারির মধ্যে { $shown }টি দেখানো হচ্ছে। রিপোর্টে প্রতিটি সারি আছে।
import-report-xlsx = রিপোর্ট ডাউনলোড করুন (Excel)
import-report-csv = রিপোর্ট ডাউনলোড করুন (CSV)
import-mapping-changed = যাচাইয়ের পর মিলানো বদলেছে। ইমপোর্টের আগে ফাইলটি আবার যাচাই করুন।
import-run = { $count }টি কেস ইমপোর্ট করুন
import-another = আরেকটি ফাইল ইমপোর্ট করুন
export-open = এক্সপোর্ট…
export-title = এই কেসগুলো এক্সপোর্ট করুন
export-hint = এই তালিকায় দেখানো কেসগুলোর একটি ফাইল, আপনার ভূমিকা যে ফিল্ডগুলো পড়তে পারে সেগুলোসহ।
export-offline = এক্সপোর্ট সার্ভারে তৈরি হয়, তাই ইন্টারনেট সংযোগ লাগবে।
export-format = ফরম্যাট
export-format-xlsx = Excel ফাইল (XLSX)
export-format-xlsx-hint = Excel ও LibreOffice-এ খোলে; বাংলা ঠিকভাবে দেখায়।
export-format-csv = Excel-এর জন্য CSV
export-format-csv-hint = বাংলা লেখার চিহ্নসহ (BOM), তাই Excel-এ বাংলা ঠিকভাবে দেখায়।
export-format-csv_plain = সাধারণ CSV
export-format-csv_plain-hint = অন্য প্রোগ্রাম ও ডেটাবেসের জন্য।
export-format-json = JSON ফাইল
export-format-json-hint = পুরো কেস রেকর্ড, কারিগরি কর্মীদের জন্য।
export-protect = ফাইলটি পাসওয়ার্ড দিয়ে সুরক্ষিত করুন
export-password = পাসওয়ার্ড
export-password-hint = অন্তত { $min }টি অক্ষর। তখন ফাইলটি একটি ZIP আর্কাইভ হবে: { $program } বা WinZip ও এই পাসওয়ার্ড দিয়ে খুলুন। প্রাপককে পাসওয়ার্ডটি আলাদাভাবে দিন।
export-create = ফাইল তৈরি করুন
export-close = বন্ধ করুন
export-started = ফাইলটি তৈরি হচ্ছে।
export-my-exports = আমার এক্সপোর্ট
exports-title = আমার এক্সপোর্ট
exports-hint = আপনার এক্সপোর্ট করা ফাইল। মেয়াদ শেষ হলে প্রতিটি ফাইল মুছে যায়, আর প্রতিটি ডাউনলোড রেকর্ড করা হয়।
exports-offline = আপনার এক্সপোর্টগুলো সার্ভারে রাখা আছে। দেখতে ও ডাউনলোড করতে ইন্টারনেটে সংযুক্ত হোন।
exports-empty = আপনার কোনো এক্সপোর্ট নেই।
exports-state-running = তৈরি হচ্ছে
exports-state-ready = প্রস্তুত
exports-state-failed = ব্যর্থ হয়েছে
exports-rows = { $count }টি কেস
exports-size-kb = { $size } কেবি
exports-size-mb = { $size } এমবি
exports-protected = পাসওয়ার্ড দিয়ে সুরক্ষিত
exports-expires = মুছে যাবে { $when }
exports-download = ডাউনলোড
case-pdf = PDF ডাউনলোড
case-pdf-working = PDF তৈরি হচ্ছে…
case-pdf-offline = PDF সার্ভারে তৈরি হয়, তাই ইন্টারনেট সংযোগ লাগবে।
case-pdf-not-sent = কেসটি সার্ভারে পৌঁছানোর পর PDF তৈরি করা যাবে।

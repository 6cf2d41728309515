# Sferum onboarding bot — English catalogue (translated from locales/ru/bot.ftl).
# Deployment-profile placeholders available in every message:
#   { $messenger } { $messenger_web } { $sferum } { $ejournal } { $ejournal_url }
#   { $student_guide } { $ejournal_guide } { $support }
# Every string argument arrives HTML-escaped.
# The student's apps and websites are in Russian, so on-screen button names
# are quoted in Russian with an English gloss.

## Buttons

btn-start = Start ▶️
btn-agree = I agree ✅
btn-decline = Continue without saving my data
btn-done = Done ✅
btn-trouble = It's not working ❓
btn-back = ◀️ Back
btn-back-to-step = ◀️ Back to the step
btn-prev-page = ◀️
btn-next-page = ▶️
btn-skip-school = My school isn't listed
btn-skip-class = My class isn't listed
btn-phone = 📱 Phone
btn-computer = 💻 Computer
btn-yes = Yes, I have one ✅
btn-no = No ❌
btn-what = What's that? 🤔
btn-variant1 = Option 1: request on the Sferum website
btn-variant2 = Option 2: link from my teacher
btn-sent = I've sent the request ✅
btn-joined = I've joined my class ✅
btn-joined-chat = I'm in the class chat ✅
btn-forget-yes = Yes, delete my data
btn-forget-no = No, keep it

## Step 0: greeting

step-welcome =
    👋 <b>Hello!</b>

    I'll help you join your school and class in <b>Sferum</b> — step by step, just like in the official guide.

    <b>GOOD TO KNOW!</b>
    • Sferum («Сферум») is part of the federal state information system “My School” («Моя школа»).
    • It's a secure platform made especially for schools.
    • It's a Russian messenger and a platform for video calls and video conferences.
    • Sferum is not a social network, and it has no ads.
    • Sferum is connected to the { $ejournal } electronic school journal.

    Tap “Start” when you're ready.

## Step 2: school, class, name

step-school =
    🏫 <b>Choose your school</b>

    Lots of schools? Type part of the name or the number — I'll find it.
step-school-found =
    🏫 <b>Schools matching “{ $query }”</b> (page { $page } of { $pages })

    Choose yours or type a different search.
step-school-page =
    🏫 <b>Choose your school</b> (page { $page } of { $pages })

    Lots of schools? Type part of the name or the number — I'll find it.
step-school-none-found =
    🔎 No schools found for “{ $query }”.

    Try typing it differently: for example, just the school number.
step-school-empty =
    🏫 The school list is empty for now: the administrator hasn't added any schools yet.

    You can go on and read all the instructions, and tell your teacher about your request yourself.
step-class =
    🏫 { $school }

    <b>Choose your class</b>
step-class-empty =
    🏫 { $school }

    This school has no classes in the bot yet. Go back to the list of schools or continue without choosing a class.
step-name =
    ✏️ <b>What's your name?</b>

    { $school }, class { $class }.
    Type your <b>first and last name</b> in one message — that way your teacher will recognize your request. For example: <i>Anna Ivanova</i>.
name-error-length = Your first and last name should be 2 to 100 characters long. Please type it again.
name-error-characters = A name can only contain letters, spaces and hyphens. Please type it again.
name-error-one-word = I need both your first and last name, with a space between them. For example: <i>Anna Ivanova</i>.
name-saved = Nice to meet you, { $name }!

## Memo step 1: the messenger

step-device =
    <b>Step 1. The messenger</b>

    Where will you use Sferum — on a phone or on a computer?
step-install =
    { $device ->
        [phone]
            📱 <b>Step 1. Install the app</b>

            Download the <b>{ $messenger }</b> mobile app from your phone's app store (App Store, Google Play, RuStore) and open it.
       *[other]
            💻 <b>Step 1. Open { $messenger } on your computer</b>

            Open this address in your browser: <a href="{ $messenger_web }">{ $messenger_web }</a>.
    }

    When it works, tap “Done”.

## Memo step 2: the educational profile

step-profile =
    <b>Step 2. Create a Sferum study profile («Учебный профиль Сферум»)</b>

    { $device ->
        [phone] In the { $messenger } app, tap <b>«Добавить учебный аккаунт»</b> ("Add a study account").
       *[other] On the { $messenger } page, click <b>«Войти в Сферум»</b> ("Log in to Sferum").
    }
    The study profile is created by signing up for <b>VK ID</b>.

    ❗ You <b>don't need</b> to sign up for the VKontakte social network — the Sferum study profile doesn't require it.

## The fork: Госуслуги

step-fork =
    <b>Next: step 3 or 4 — it depends on Gosuslugi</b>

    Do you have <b>your own</b> verified account on Gosuslugi («Госуслуги», the state services portal)?
fork-what =
    🤔 <b>What is it?</b>

    A Gosuslugi account is your personal login to the state services portal gosuslugi.ru. “Verified” means your identity has been confirmed (for example, at a MFC public service centre or through a bank). Older students often have one that their parents set up for them.

    ❗ It has to be <b>your own</b> account. You <b>can't</b> use a parent's account!

    If you're not sure, choose “No”: you can join without Gosuslugi too.

## Memo step 4: the e-journal

step-epos =
    <b>Step 4. Link { $ejournal } and Sferum</b>

    1. Log in to { $ejournal }{ $ejournal_url ->
        [none] {""}
       *[other] {" "}(<a href="{ $ejournal_url }">{ $ejournal_url }</a>)
    } with <b>your own</b> Gosuslugi account. ❗ You can't use a parent's account!
    2. Open the <b>«Чаты»</b> ("Chats") section.
    3. Tap the <b>«Привязать учебный профиль VK ID»</b> ("Link VK ID study profile") button.

    <b>Result:</b> you've joined your school and class, your activity counts in the school's statistics, and you'll be added to the class chat automatically (and if you move to another school, you'll leave it automatically).

    Guide with pictures: <a href="{ $ejournal_guide }">linking the journal to your study profile</a>.

## Memo step 3: without Госуслуги

step-variant =
    <b>Step 3. Without Gosuslugi — two ways</b>

    <b>Option 1.</b> You send a request on the Sferum website yourself, and your teacher approves it.
    <b>Option 2.</b> Your teacher sends you an invitation link (or a QR code) to the class.

    Choose the one that suits you.
step-variant1 =
    <b>Option 1. Request on the Sferum website</b>

    1. Go to <a href="{ $sferum }">{ $sferum }</a>.
    2. Click <b>«Войти как администратор»</b> ("Log in as administrator").
    3. Go to your <b>profile</b> («Профиль»).
    4. In the <b>«Организации»</b> ("Organizations") section, choose <b>«Добавить организацию»</b> ("Add an organization").
    5. Choose the organization: enter your <b>town or city</b> and the <b>organization</b> (your school), then click <b>«Продолжить»</b> ("Continue").
    6. Choose the role <b>«ученик»</b> ("student") and enter your <b>class</b>.
    7. Click <b>«Отправить заявку»</b> ("Send request").

    Your teacher will approve the request in the «Заявки» ("Requests") section. Once you've sent it, tap the button below.
step-variant2-link =
    <b>Option 2. Class invitation link</b>

    Here's the link for your class { $class }: <a href="{ $link }">{ $link }</a>
    Open it on your phone or computer (or scan the QR code above) and join your school class in Sferum.
step-variant2-requested =
    <b>Option 2. Class invitation link</b>

    { $reached ->
        [teacher] I've asked the class teacher of { $class } to send an invitation link. As soon as your teacher saves it, I'll send it to you here together with a QR code.
        [school] Class { $class } has no class teacher in the bot yet, so I've asked the school's administration for the invitation link. As soon as it's saved, I'll send it to you here together with a QR code.
        [municipality] Neither the class teacher of { $class } nor a school administrator is in the bot yet, so the municipality's administrator got your request. As soon as the link is saved, I'll send it here.
       *[nobody] I've saved your request for the link, but nobody can receive it yet: neither the class teacher of { $class } nor the school's administration is in the bot. It will reach the first of them who joins.
    }

    You can also ask your teacher for the link or QR code in person. If you've already joined, tap the button below.
step-variant2-ask =
    <b>Option 2. Class invitation link</b>

    Ask your class teacher for an invitation link (or a QR code) to join the class in Sferum. Open it on your phone or computer and join your school class.

    Once you've joined, tap the button below.
step-chat-link =
    <b>Class chat</b>

    Here's the link to the class chat: <a href="{ $link }">{ $link }</a>
    Open it (or scan the QR code above) and join the class chat in Sferum.
step-chat-teacher =
    <b>Class chat</b>

    Your class teacher will create a class chat in Sferum and either add you to it or send you an invitation link — then just open it and join the chat.

    Once you're in the chat, tap the button below.
qr-class-caption = QR code to join class { $class }
qr-chat-caption = QR code to join the chat of class { $class }

## Done

step-done = 🎉 <b>All done!</b>
done-result = <b>Result:</b> you've joined your school and class, and your activity counts in the school's statistics. { $chat ->
        [link] Class chat: <a href="{ $link }">{ $link }</a>
       *[none] Your teacher can invite you to the class chat: when they save the chat link, I'll send it here.
    }
done-result-epos =
    <b>Result:</b> you've joined your school and class, your activity counts in the school's statistics, and you're in the class chat automatically (you'll leave it automatically if you move to another school).
done-result-pending =
    <b>Result</b> — once your class teacher confirms the request: you will be in your school and class, your activity will count in the school's statistics, and your teacher can invite you to the class chat.
done-gosuslugi-later =
    ❗ When you get your own verified Gosuslugi account, be sure to link { $ejournal } and Sferum — it makes using them together easier. The /epos command will show you how.
done-footer = The /status command shows this at any time.

## Status and summary

summary-title = <b>Your progress</b>
summary-school = School: { $school }
summary-class = Class: { $class }
summary-name = Name: { $name }
summary-no-class = School and class not chosen.
summary-device = Device: { $device ->
        [phone] phone
       *[other] computer
    }
summary-step = Now: { $step }
summary-branch = Path: { $branch ->
        [epos] your own Gosuslugi account, linking with { $ejournal }
        [variant1] without Gosuslugi, option 1 (request on the Sferum website)
        [variant2] without Gosuslugi, option 2 (link from your teacher)
       *[none] not chosen yet
    }
summary-request = { $variant ->
        [1] Request to your teacher
       *[other] Class invitation link
    }: { $status ->
        [pending] { $variant ->
            [1] waiting for your teacher's approval ⏳
           *[other] your teacher hasn't sent it yet ⏳
        }
        [unreached] saved, but no teacher or school administrator is in the bot yet ⏳
        [approved] { $variant ->
            [1] approved ✅
           *[other] received ✅
        }
       *[rejected] declined ❌
    }
summary-no-consent = Your data isn't saved (no consent), and no request is sent to your teacher.
status-none = You haven't started yet. Send /start.

step-name-welcome = greeting
step-name-consent = consent to data processing
step-name-school = choosing a school
step-name-class = choosing a class
step-name-name = entering your name
step-name-device = step 1: choosing a device
step-name-install = step 1: the messenger
step-name-profile = step 2: study profile
step-name-fork = the Gosuslugi question
step-name-epos = step 4: linking with { $ejournal }
step-name-variant = step 3: choosing an option
step-name-variant1 = step 3, option 1: request
step-name-variant2 = step 3, option 2: class link
step-name-chat = step 3, option 2: class chat
step-name-done = all done

## Help for each step ("Не получается ❓")

help-welcome = Tap “Start” under the message — and let's go step by step.
help-consent = Choose “I agree” so the bot can pass your request on to your teacher, or continue without saving your data.
help-school =
    ❓ <b>I can't find my school</b>

    • Type the school number or part of the name, for example: <i>5</i> or <i>лицей</i> (lyceum).
    • Scroll through the list with the ◀️ ▶️ buttons.
    • If your school isn't listed, tap “My school isn't listed” — the instructions will still be available, and you can tell your teacher about your request yourself.
help-class =
    ❓ <b>I can't find my class</b>

    Check that you chose the right school (the “Back” button). If your class isn't listed, ask your class teacher whether the class has been added, or continue without choosing a class.
help-name =
    ❓ Type your first and last name the way your teacher knows you: only letters, a space between words, a hyphen in a double surname. For example: <i>Anna Petrova-Vodkina</i>.
help-device =
    ❓ Choose what's easier for you: on a phone you'll use the app, on a computer — the browser. The instructions will match your device.
help-install =
    { $device ->
        [phone]
            ❓ <b>I can't install the app</b>

            • Search for “{ $messenger }” in your app store.
            • Not enough space? Delete something you don't need, or use Sferum on a computer: “Back” button → “Computer”.
            • Detailed guide with pictures (pp. 4–9): <a href="{ $student_guide }">student guide</a>.
       *[other]
            ❓ <b>{ $messenger } won't open</b>

            • Check the address: <a href="{ $messenger_web }">{ $messenger_web }</a>.
            • Try another browser or refresh the page.
            • Detailed guide with pictures (pp. 10–13): <a href="{ $student_guide }">student guide</a>.
    }
help-profile =
    ❓ <b>I can't create a study profile</b>

    • { $device ->
        [phone] The «Добавить учебный аккаунт» ("Add a study account") button is in the app, on the login screen or in the profile settings.
       *[other] The «Войти в Сферум» ("Log in to Sferum") button is on the { $messenger } login page.
    }
    • VK ID needs a phone number: a code will be sent to it.
    • You don't need a VKontakte social network account.
    • Guide with pictures: <a href="{ $student_guide }">student guide</a> (phone — pp. 4–9, computer — pp. 10–13).
help-fork =
    ❓ If you don't know whether you have your own verified Gosuslugi account, ask your parents. Not sure? Choose “No”.
help-epos =
    ❓ <b>I can't link { $ejournal } and Sferum</b>

    • Log in with <b>your own</b> Gosuslugi account, not a parent's.
    • No «Чаты» ("Chats") section or no button? Refresh the page or try again later.
    • Guide with pictures: <a href="{ $ejournal_guide }">linking the journal to your study profile</a>.
    • Still not working? Go back and choose “No”: there are ways without Gosuslugi.
help-variant =
    ❓ Option 1 is for you if you can open the Sferum website yourself. Option 2 — if your teacher sends you a link or QR code. Both lead to the same result.
help-variant1 =
    ❓ <b>I can't send the request</b>

    • The «Войти как администратор» ("Log in as administrator") button is on the main page of <a href="{ $sferum }">{ $sferum }</a>; you can log in with the same VK ID.
    • Can't find your school? Check the town or city.
    • Can't find your class? Ask your teacher whether the class has been created in Sferum, or choose option 2.
help-variant2 =
    ❓ <b>The link won't open</b>

    • Open the link on the device where you're logged in to your Sferum study profile.
    • Scan the QR code with your phone camera.
    • Link expired? Ask your teacher for a new one.
help-chat =
    ❓ The class chat is created by your class teacher. If you haven't been added for a long time, remind your teacher; in Sferum they can see the students who have joined the class.
help-done = All done. /status shows your progress, /restart starts over.
help-support = Support: { $support }

## Commands

cmd-start = Start or continue
cmd-status = My progress
cmd-help = Help
cmd-epos = How to link the journal and Sferum
cmd-restart = Start over
cmd-cancel = Cancel action
cmd-lang = Язык / Language
cmd-forget = Delete my data
cmd-reminders = Reminders: on/off

help-general =
    ℹ️ <b>Help</b>

    I follow the official guide: how to join your school and class in Sferum.

    /start — start or continue
    /status — my progress
    /epos — how to link { $ejournal } and Sferum
    /restart — start over
    /cancel — cancel an action and go back to the step
    /lang — language
    /reminders — reminders: switch on or off
    /forget — delete my data

    <b>FAQ</b>
    • <i>Do I need a VKontakte page?</i> No, the study profile is created with VK ID.
    • <i>Can I log in with my parents' Gosuslugi?</i> No, only with your own account.
    • <i>No Gosuslugi?</i> You can join with a request or with a link from your teacher.
help-current-step = <b>You're now on the step:</b> { $step }
help-class-info = Your class: { $class }, { $school }. If something isn't working, ask your class teacher.
welcome-back = Welcome back! Let's continue from where you stopped.

## Language, forget, cancel, restart, epos

lang-choose = Выберите язык / Choose your language:
lang-name-ru = Русский 🇷🇺
lang-name-en = English 🇬🇧
lang-set = Language: English 🇬🇧
forget-confirm =
    Delete everything the bot stores about you: your name, school, class, progress and requests to your teacher? Requests your teacher hasn't reviewed yet will be withdrawn.
forget-done = Done: your data has been deleted. To start over, send /start.
forget-kept = OK, nothing was deleted.
cancel-done = Action cancelled. Here's your current step:
cancel-nothing = There's nothing to cancel. Send /start to begin.
restart-done = Starting over.
epos-info = This step is for those who have <b>their own</b> verified Gosuslugi account.

## Hints for unexpected input

hint-press-button = Please choose an option with a button under the message 👇
hint-not-text = I only understand text and buttons. Choose an option with a button under the message 👇
hint-type-text = I only understand text and buttons. Type your answer as a plain message 👇
hint-unknown-command = There's no such command. See the list of commands with /help. Here's your step:
hint-too-long = That message is too long. Choose an option with a button under the message 👇
hint-outdated-button = This button is out of date. Here's your current step 👇
hint-edited = I don't read edited messages — please send a new one.
hint-start = To begin, send /start.
hint-done = You've already finished all the steps. /status — your progress, /help — help, /restart — start over.
hint-school-query-too-long = That search is too long. Type the number or part of the school name.
deeplink-unknown = I didn't recognize that class link — it may be out of date. Choose your school and class from the list.
deeplink-class-set = Class chosen from the link: { $class }, { $school }.
school-gone = This school is no longer on the list. Please choose again.
class-gone = This class is no longer on the list. Please choose again.
request-already = ✉️ { $reached ->
        [teacher] Your request is already with the class teacher of { $class } — waiting for approval.
        [school] Your request is already with the school's administration — waiting for approval.
        [municipality] Your request is already with the municipality's administrator — waiting for approval.
       *[nobody] Your request is saved, but neither the teacher of { $class } nor the school's administration is in the bot yet. Tell your class teacher in person that you sent a request in Sferum.
    }
request-no-class = You didn't choose a class, so the bot didn't send your teacher a request: please tell your class teacher yourself that you sent a request in Sferum.
request-not-sent = Without consent to store your data, no request is sent to your teacher: please tell your teacher yourself that you've sent a request in Sferum.
error-generic = Something went wrong 😔 Try again or send /start.
step-variant2-given =
    <b>Option 2. Class invitation link</b>

    Your teacher says they gave you the invitation link to class { $class }. Open it on your phone or computer and join the class. No link? Ask your teacher for it.

    When you've joined, tap the button below.
done-result-variant2 =
    <b>Result:</b> you've joined your school and class and you're in the class chat; your activity counts in the school's statistics.
done-result-rejected =
    ❌ Your teacher rejected the request, so you haven't joined the class yet. Check your school and class and send the request again with the button below.
step-name-rejected = request declined — you can send it again
request-sent = ✉️ { $reached ->
        [teacher] { $variant ->
            [1] Your request has been sent to the class teacher of { $class }.
           *[other] Your request for the link has been sent to the class teacher of { $class }.
        }
        [school] Class { $class } has no class teacher in the bot yet, so your { $variant ->
            [1] request has
           *[other] request for the link has
        } been sent to the school's administration.
        [municipality] Neither the class teacher of { $class } nor a school administrator is in the bot yet, so the municipality's administrator got your { $variant ->
            [1] request.
           *[other] request for the link.
        }
       *[nobody] Your { $variant ->
            [1] request is
           *[other] request for the link is
        } saved, but nobody can receive it yet: neither the class teacher of { $class } nor the school's administration is in the bot. It will reach the first teacher or administrator who joins. Meanwhile, tell your class teacher in person that you { $variant ->
            [1] sent a request in Sferum.
           *[other] are waiting for the class invitation link.
        }
    }
request-moved = ↪️ You chose class { $class }: your earlier request was withdrawn, and your previous teacher no longer sees it as waiting.
request-now-reached = ✉️ { $variant ->
        [1] Your request to join { $class } is now with
       *[other] Your request for the link to { $class } is now with
    } { $reached ->
        [teacher] the class teacher.
        [school] the school's administration.
       *[municipality] the municipality's administrator.
    }

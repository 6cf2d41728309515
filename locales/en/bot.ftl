# Sferum onboarding bot — English catalogue (translated from locales/ru/bot.ftl).
# Platform facts come from the deployment profile (bot/platform_profile.py); see the Russian
# catalogue's header for the placeholders. In English texts the messenger's and the e-journal's
# names are Latin ($messenger, $ejournal carry the English names).
# The student's apps and websites are in Russian, so on-screen button names
# are quoted in Russian with an English gloss.
# Every string argument arrives HTML-escaped.

## Buttons

btn-agree = I give my consent ✅
btn-decline = Continue without saving my data
btn-done = Done ✅
btn-trouble = It's not working ❓
btn-back = ◀️ Back
btn-back-to-step = ◀️ Back to the step
btn-prev-page = ◀️
btn-next-page = ▶️
btn-skip-school = My school isn't listed
btn-skip-class = My class isn't listed
btn-yes = Yes, I have one ✅
btn-no = No ❌
btn-what = What's that? 🤔
btn-variant1 = Option 1: request on the Sferum website
btn-variant2 = Option 2: link from my teacher
btn-sent = I've sent the request ✅
btn-joined = I'm in the class now ✅
btn-joined-chat = I'm in the class chat ✅
btn-forget-yes = Yes, delete my data
btn-forget-no = No, keep it

## Step 0: greeting

step-welcome =
    👋 <b>Hello!</b> I'll help you join your school and class in <b>Sferum</b>, following the official guide. You need it if you use, or will use, the chat with your class teacher.

    <b>Good to know:</b> Sferum is part of the federal state information system “My School”. It's a secure platform for schools, a Russian messenger with video calls; not a social network, no ads, connected to { $ejournal }.

    🔒 For your teacher to get your request, I need your consent: the bot keeps your name, school and class until { $until }. Details — “What is kept?”; delete it all with /forget.

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
    <b>Step 1. Open { $messenger }</b>

    📱 <b>On a phone:</b> download the { $messenger } app from your app store{ $app_stores ->
        [none] {""}
       *[other] {" "}({ $app_stores })
    } and open it.
    💻 <b>On a computer:</b> open <a href="{ $messenger_web }">{ $messenger_web }</a> in your browser.

    When it works, tap the button of the device where you'll use Sferum.
step-install =
    { $device ->
        [phone]
            📱 <b>Step 1. Install the app</b>

            Download the <b>{ $messenger }</b> app from your phone's app store{ $app_stores ->
                [none] {""}
               *[other] {" "}({ $app_stores })
            } and open it.
       *[other]
            💻 <b>Step 1. Open { $messenger } on your computer</b>

            Open this address in your browser: <a href="{ $messenger_web }">{ $messenger_web }</a>.
    }

    When it works, tap “Done”.

## Memo step 2: the educational profile

step-profile =
    <b>Step 2. Create a Sferum study profile («Учебный профиль Сферум»)</b>

    { $device ->
        [phone] In the { $messenger } app, tap { $profile_button_phone ->
            [none] the button that creates the Sferum study profile.
           *[other] <b>«{ $profile_button_phone }»</b> (“add a study account”): the app's study account is the study profile.
        }
       *[other] In the { $messenger } web version, click { $profile_button_computer ->
            [none] the button that opens the Sferum study profile.
           *[other] <b>«{ $profile_button_computer }»</b> (“log in to Sferum”).
        }
    }
    { $account ->
        [none] The profile is created right in the { $messenger } app: you'll need a phone number.
       *[other] The study profile is created by signing up for <b>{ $account }</b>.
    }{ $not_needed ->
        [none] {""}
       *[other] {"\u000A"}{"\u000A"}❗ You <b>don't need</b> to sign up { $not_needed } — the study profile doesn't require it.
    }

## The fork: Госуслуги

step-fork =
    <b>Step 3. How to join your class</b>

    It depends on Gosuslugi («Госуслуги», the state services portal). Do you have <b>your own</b> confirmed Gosuslugi account? A parent's account won't do.
fork-what =
    🤔 <b>What is it?</b>

    A Gosuslugi account is your personal login to gosuslugi.ru. “Confirmed” means your identity has been confirmed (for example, at an MFC public service centre or through a bank). Older students often have one.

    ❗ It has to be <b>your own</b> account. You <b>can't</b> use a parent's account!

    Not sure? Choose “No”: you can join without Gosuslugi too.

## Memo step 4: the e-journal

step-epos =
    <b>Step 3. Through { $ejournal } and Gosuslugi</b>

    1. Log in to { $ejournal }{ $ejournal_url ->
        [none] {""}
       *[other] {" "}(<a href="{ $ejournal_url }">{ $ejournal_url }</a>)
    } with <b>your own</b> Gosuslugi account. ❗ You can't use a parent's account!
    2. Open the <b>«Чаты»</b> (“Chats”) section.
    3. Tap { $ejournal_button ->
        [none] the button that links the Sferum study profile.
       *[other] <b>«{ $ejournal_button }»</b>.
    }

    <b>Result:</b> you're in your school and class, your activity counts in the school's statistics, you're added to the class chat automatically (and removed on moving schools, as enrolled in { $ejournal }).

    <a href="{ $guide_ejournal }">Guide with pictures</a>

## Memo step 3: without Госуслуги

step-variant =
    <b>Step 3. Without Gosuslugi — two ways</b>

    <b>Option 1.</b> You send a request on the Sferum website yourself, and your teacher approves it.
    <b>Option 2.</b> Your teacher sends you an invitation link (or a QR code) to the class.

    The result is the same — choose the one that suits you.
step-variant1 =
    <b>Step 3. Option 1: request on the Sferum website</b>

    1. Open <a href="{ $sferum }">{ $sferum }</a>.
    2. Click <b>«Войти как администратор»</b> (“log in as administrator”).
    3. Go to your <b>profile</b>.
    4. In <b>«Организации»</b> (“organisations”), choose <b>«Добавить организацию»</b>.
    5. Enter your <b>town</b> and <b>organisation</b> (school), click <b>«Продолжить»</b>.
    6. Choose the role <b>«ученик»</b> (“student”) and your <b>class</b>.
    7. Click <b>«Отправить заявку»</b> (“send request”).

    Your teacher approves it in «Заявки» (“requests”). Once sent, tap the button below.
step-variant2-link =
    <b>Step 3. Option 2: class invitation link</b>

    The link for class { $class }: <a href="{ $link }">{ $link }</a>
    { $device ->
        [phone] Tap it on this phone and join your school class in Sferum. The QR code above is for showing to a classmate.
       *[other] Scan the QR code above with your phone's camera, or open the link here, and join your school class in Sferum.
    }
step-variant2-requested =
    <b>Step 3. Option 2: class invitation link</b>

    { $reached ->
        [teacher] Your request for an invitation link has gone to the class teacher of { $class }. As soon as your teacher saves it, the link and a QR code will come here.
        [school] Class { $class } has no class teacher in the bot yet, so your request for the link has gone to the school's administration. As soon as the link is saved, it will come here with a QR code.
        [municipality] Neither the class teacher of { $class } nor a school administrator is in the bot yet, so the municipality's administrator got your request for the link. As soon as it's saved, it will come here.
       *[nobody] Your request for the link is saved, but nobody can receive it yet: neither the class teacher of { $class } nor the school's administration is in the bot. It will reach the first of them who joins.
    }

    You can also ask your teacher for the link or QR code in person. If you're already in the class, tap the button below.
step-variant2-ask =
    <b>Step 3. Option 2: class invitation link</b>

    Ask your class teacher for an invitation link (or a QR code) to join the class in Sferum. Open it on your phone or computer and join your school class.

    Once you've joined, tap the button below.
step-chat-link =
    <b>Step 4. The class chat</b>

    The link to the class chat: <a href="{ $link }">{ $link }</a>
    { $device ->
        [phone] Tap it on this phone and join the class chat in Sferum. The QR code above is for showing to a classmate.
       *[other] Scan the QR code above with your phone's camera, or open the link here, and join the class chat in Sferum.
    }
step-chat-teacher =
    <b>Step 4. The class chat</b>

    Your class teacher will create a class chat in Sferum and either add you to it or send you an invitation link — then open it and join the chat.

    Once you're in the chat, tap the button below.
qr-class-caption = QR code to join class { $class }
qr-chat-caption = QR code to join the chat of class { $class }

## Done

step-done = 🎉 <b>All done!</b>
done-result = <b>Result:</b> you've joined your school and class, and your activity counts in the school's statistics. { $chat ->
        [link] Class chat: <a href="{ $link }">{ $link }</a>
       *[none] Your teacher can invite you to the class chat: once the chat link is saved, I'll send it here.
    }
done-result-epos =
    <b>Result:</b> you've joined your school and class, your activity counts in the school's statistics, and you're in the class chat automatically (you'll leave it automatically if you move to another school).
done-result-pending =
    <b>Result</b> — once the request is approved: you're in your school and class, your activity counts in the school's statistics, your teacher can invite you to the class chat.
done-gosuslugi-later =
    ❗ Once you have your own confirmed Gosuslugi account, be sure to link { $ejournal } and Sferum: otherwise Sferum won't move you by itself when you change schools. How — /epos.
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
           *[other] no link from your teacher yet ⏳
        }
        [unreached] saved, but no teacher or school administrator is in the bot yet ⏳
        [approved] { $variant ->
            [1] approved ✅
           *[other] received ✅
        }
       *[rejected] rejected ❌
    }
summary-no-consent = No consent: nothing saved, no requests to your teacher.
status-none = You haven't started yet. Send /start.

step-name-welcome = greeting
step-name-consent = consent to data processing
step-name-school = choosing a school
step-name-class = choosing a class
step-name-name = entering your name
step-name-device = step 1: the messenger
step-name-install = step 1: the messenger
step-name-profile = step 2: the study profile
step-name-fork = step 3: the Gosuslugi question
step-name-epos = step 3: linking with { $ejournal }
step-name-variant = step 3: choosing a way
step-name-variant1 = step 3, option 1: request
step-name-variant2 = step 3, option 2: class link
step-name-chat = step 4: the class chat
step-name-done = all done

## Help for each step ("Не получается ❓")

help-welcome = Choose “I give my consent” so the bot can pass your request on to your teacher, or continue without saving your data. “What is kept?” shows everything the bot would keep.
help-consent = Choose “I give my consent” so the bot can pass your request on to your teacher, or continue without saving your data.
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
    ❓ <b>Can't open { $messenger }?</b>

    • Phone: search for “{ $messenger }” in your app store. Not enough space? Use Sferum on a computer.
    • Computer: check the address <a href="{ $messenger_web }">{ $messenger_web }</a>, try another browser.
    • Guides with pictures: <a href="{ $guide_phone }">for a phone</a>{ $guide_phone_pages ->
        [none] {""}
       *[other] {" "}(pp. { $guide_phone_pages })
    }, <a href="{ $guide_computer }">for a computer</a>{ $guide_computer_pages ->
        [none] {""}
       *[other] {" "}(pp. { $guide_computer_pages })
    }.
help-install =
    { $device ->
        [phone]
            ❓ <b>I can't install the app</b>

            • Search for “{ $messenger }” in your app store.
            • Not enough space? Delete something you don't need, or use Sferum on a computer: the “Back” button.
            • Guide with pictures: <a href="{ $guide_phone }">student guide, phone</a>{ $guide_phone_pages ->
                [none] {""}
               *[other] {" "}(pp. { $guide_phone_pages })
            }.
       *[other]
            ❓ <b>{ $messenger } won't open</b>

            • Check the address: <a href="{ $messenger_web }">{ $messenger_web }</a>.
            • Try another browser or refresh the page.
            • Guide with pictures: <a href="{ $guide_computer }">student guide, computer</a>{ $guide_computer_pages ->
                [none] {""}
               *[other] {" "}(pp. { $guide_computer_pages })
            }.
    }
help-profile =
    ❓ <b>I can't create a study profile</b>

    • { $device ->
        [phone] { $profile_button_phone ->
            [none] The button that creates the study profile is in the { $messenger } app, on the login screen or in the profile settings.
           *[other] The «{ $profile_button_phone }» button is in the app, on the login screen or in the profile settings.
        }
       *[other] { $profile_button_computer ->
            [none] The button that opens the study profile is on the login page of the { $messenger } web version.
           *[other] The «{ $profile_button_computer }» button is on the login page of the { $messenger } web version.
        }
    }
    • You'll need a phone number: a code will be sent to it.{ $not_needed ->
        [none] {""}
       *[other] {"\u000A"}• You don't need to sign up { $not_needed }.
    }
    • Guide with pictures: { $device ->
        [phone] <a href="{ $guide_phone }">for a phone</a>{ $guide_phone_pages ->
            [none] {""}
           *[other] {" "}(pp. { $guide_phone_pages })
        }.
       *[other] <a href="{ $guide_computer }">for a computer</a>{ $guide_computer_pages ->
            [none] {""}
           *[other] {" "}(pp. { $guide_computer_pages })
        }.
    }
help-fork =
    ❓ If you don't know whether you have your own confirmed Gosuslugi account, ask your parents. Not sure? Choose “No”.
help-epos =
    ❓ <b>I can't link { $ejournal } and Sferum</b>

    • Log in with <b>your own</b> Gosuslugi account, not a parent's.
    • No «Чаты» (“Chats”) section or no button? Refresh the page or try again later.
    • Guide with pictures: <a href="{ $guide_ejournal }">linking to your study profile</a>.
    • Still not working? Go back and choose “No”: there are ways without Gosuslugi.
help-variant =
    ❓ Option 1 is for you if you can open the Sferum website yourself. Option 2 — if your teacher sends you a link or QR code. Both lead to the same result.
help-variant1 =
    ❓ <b>I can't send the request</b>

    • The «Войти как администратор» (“log in as administrator”) button is on the main page of <a href="{ $sferum }">{ $sferum }</a>; log in with the same study profile.
    • Can't find your school? Check the town.
    • Can't find your class? Ask your teacher whether the class has been created in Sferum, or choose option 2.
help-variant2 =
    ❓ <b>The link won't open</b>

    • Open the link on the device where you're logged in to your Sferum study profile.
    • On a computer, scan the QR code with your phone's camera.
    • Link expired? Ask your teacher for a new one.
help-chat =
    ❓ The class chat is created by your class teacher. If you haven't been added for a long time, remind your teacher; in Sferum they can see the students who have joined the class.
help-done = All done. /status shows your progress, /restart starts over.
## Commands

cmd-start = Start or continue
cmd-status = My progress
cmd-help = Help
cmd-epos = How to link { $ejournal } and Sferum
cmd-restart = Start over
cmd-cancel = Cancel action
cmd-lang = Язык / Language
cmd-forget = Delete my data
cmd-reminders = Reminders: on/off

help-general =
    ℹ️ <b>Commands</b>

    /start — start or continue
    /status — my progress
    /epos — how to link { $ejournal } and Sferum
    /restart — start over
    /cancel — cancel an action and go back to the step
    /lang — language
    /reminders — reminders: switch on or off
    /forget — delete my data
help-current-step =
    ❓ <b>Help</b> · you're now on: { $step }
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
epos-info = This is the way for those who have <b>their own</b> confirmed Gosuslugi account.

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
request-no-class = No class chosen, so no request went to your teacher: tell your class teacher yourself that you sent a request in Sferum.
request-not-sent = Without consent no request goes to your teacher: tell your teacher yourself that you sent a request in Sferum.
error-generic = Something went wrong 😔 Try again or send /start.
step-variant2-given =
    <b>Step 3. Option 2: class invitation link</b>

    Your teacher has marked the invitation link to class { $class } as given to you. Open it on your phone or computer and join the class. No link? Ask your teacher for it.

    Once you've joined, tap the button below.
done-result-variant2 =
    <b>Result:</b> you've joined your school and class and you're in the class chat; your activity counts in the school's statistics.
done-result-rejected =
    ❌ Your request was rejected, so you haven't joined the class yet. Check your school and class and send the request again with the button below.
step-name-rejected = request rejected — you can send it again
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
btn-consent-details = 🔒 What is kept?
btn-installed-phone = 📱 Installed on my phone ✅
btn-opened-computer = 💻 Opened on my computer ✅
help-outside =
    ❓ <b>Help</b>

    I follow the official guide: how to join your school and class in Sferum. Send /start to begin or continue.
help-faq-hint = Common questions — the buttons below.
btn-faq-gosuslugi = What is Gosuslugi?
btn-faq-parent = Can I use a parent's Gosuslugi?
btn-faq-account = { $not_needed ->
        [none] Do I need another account?
       *[other] Do I need to sign up { $not_needed }?
    }
btn-faq-school = My school isn't listed
btn-faq-data = Who sees my data?
btn-faq-contact = Whom to ask?
btn-faq-parents = For parents and teachers
btn-faq-commands = The bot's commands
faq-gosuslugi =
    <b>What is Gosuslugi?</b>

    A Gosuslugi account is your personal login to gosuslugi.ru. “Confirmed” means your identity has been confirmed, for example at an MFC or through a bank. Have your own? Join through { $ejournal }. No? Join with a request or a link from your teacher.
faq-parent =
    <b>Can I use a parent's Gosuslugi?</b>

    No. Only <b>your own</b> confirmed account will do: a parent's account must not be used. No account of your own? Join without Gosuslugi: with a request on the Sferum website or a link from your teacher.
faq-account =
    <b>{ $not_needed ->
        [none] Do I need another account?
       *[other] Do I need to sign up { $not_needed }?
    }</b>

    No. { $account ->
        [none] The study profile is created right in the { $messenger } app.
       *[other] The study profile is created with { $account }{ $not_needed ->
            [none] .
           *[other] ; no sign-up { $not_needed } is needed or made.
        }
    }
faq-school =
    <b>My school isn't listed</b>

    Type the school number or part of its name: for example, <i>5</i> or <i>лицей</i>. Not found? Tap “My school isn't listed”: you'll get all the instructions, and tell your class teacher about your request yourself. Schools are added to the bot by the municipality's administrator.
faq-data =
    <b>Who sees my data?</b>

    Your name, school and class are seen by your class teacher and the school's administration (and the municipality's administrator), to approve your request. Nobody else. They're kept until the end of the school year, then anonymised; /forget deletes everything at once.
faq-contact =
    <b>Whom to ask?</b>

    Your class teacher or the school's administration can help with Sferum and your class.{ $support ->
        [none] {""}
       *[other] {" "}The bot's support: { $support }.
    }
faq-parents =
    <b>For parents and teachers</b>

    The Sferum information and communication platform (ИКОП «Сферум») is part of the federal system “My School” (ФГИС «Моя школа»): clause 3¹ of its Regulation, approved by Government Decree No. 1241 of 13.06.2022 (as amended by Decree No. 1545 of 22.09.2023).

    A student needs their own Gosuslugi account: a parent's must not be used.
help-class-info = Your class: { $class }, { $school }. Not working? Ask your class teacher.

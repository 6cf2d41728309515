# The teacher's tools: /requests, /class, /setlink, /setchat, /qr (English). Arguments arrive HTML-escaped.

tt-not-staff = This command is for class teachers and school admins.
tt-class-forbidden = Another teacher looks after this class: nothing has changed.
tt-pick-class = Which class?
tt-too-many-classes = Showing the first { $count } classes.

## /requests

tt-requests-none = No requests are waiting for a decision. 🎉
tt-requests-page = Requests waiting for a decision: <b>{ $count }</b>. Page { $page } of { $pages }.

## /class

tt-roster-header =
    <b>Class { $class }</b>, { $school }
    { $count ->
        [one] { $count } student
       *[other] { $count } students
    }: { $done } finished, { $waiting } awaiting confirmation
tt-roster-empty = No students in the class yet. Put the bot's QR code up in the classroom: /qr
tt-roster-no-name = (no name)
tt-roster-line = { $number }. <b>{ $name }</b> — { $step }; { $branch ->
        [epos] via { $ejournal }
        [variant1] option 1
        [variant2] option 2
       *[none] no path chosen
    }; request: { $status ->
        [pending] ⏳ awaiting decision
        [approved] ✅ approved
        [rejected] ❌ rejected
       *[none] none
    }

## /setlink and /setchat

tt-setlink-usage =
    Send the Sferum class invite link after the command, for example:
    <code>/setlink https://sferum.ru/?invite=…</code>
tt-setchat-usage =
    Send the class chat link after the command, for example:
    <code>/setchat { $chat_link_example }</code>
tt-link-bad = ⚠️ The link was not saved: { $reason ->
        [empty] there is no link.
        [not-https] the address must start with https://
        [host] only addresses on { $hosts } and their subdomains are accepted.
        [too-long] the link is too long.
       *[not-url] this does not look like a link.
    }
tt-link-expired = This command has expired: send it again with the link.
tt-invite-saved = ✅ The invite link of class { $class } is saved. Sent to students who were waiting for it: { $count }.
tt-chat-saved = ✅ The chat link of class { $class } is saved. Sent to students already in the class: { $count }.
tt-link-undelivered = Could not deliver (the student blocked the bot?): { $names }.
tt-add-to-chat = Class { $class } has no chat link. Add them to the class chat yourself: { $names }. Or save the link: /setchat
tt-student-invite-link =
    🔗 The class teacher of { $class } sent the class invite link:
    { $link }
    Open it or point your camera at the QR code, join the class and press “{ btn-joined }”.
tt-student-chat-link =
    💬 The chat link of class { $class }:
    { $link }
    Open it or point your camera at the QR code to enter the chat.

## /qr

tt-qr-poster =
    📌 Class { $class }, { $school }
    Join Sferum with the helper bot: point your phone's camera at the QR code.
    { $link }
tt-qr-invite =
    🔗 The Sferum invite link of class { $class }:
    { $link }
tt-qr-no-invite = No class invite link yet; save it with /setlink — students waiting for it will get it at once.
tt-roster-namesake = ({ $username ->
        [none] {""}
       *[other] @{ $username }, {""}
    }in the bot since { $since })

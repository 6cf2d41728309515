# Teachers' and admins' texts (English). Arguments arrive HTML-escaped.

cmd-whoami = My roles

## A join request, as a teacher sees it

request-card =
    📥 <b>{ $variant ->
        [1] Request to join class { $class }
       *[other] Asking for the invite link to class { $class }
    }</b>, { $school }
    Student: <b>{ $name }</b>{ $username ->
        [none] {""}
       *[other] {" "}(@{ $username })
    }
    How: { $variant ->
        [1] option 1 — request on the Sferum website
       *[other] option 2 — waiting for the class invite link
    }
    Time: { $time }

    { $variant ->
        [1] First find and confirm the request in Sferum, section «Заявки» ("Requests"), then tap ✅.
       *[other] Create a class invite link in Sferum with the role «Ученик» ("Student"), as you do for staff (<a href="{ $guide_invite }">administrator's guide</a>{ $guide_invite_pages ->
                [none] {""}
               *[other] , pp. { $guide_invite_pages }
            }), and save it with <code>/setlink link</code>: the bot sends it at once, with a QR code, to every student of the class waiting for it, and closes their requests. Gave the link yourself? Tap ✅.
    }
request-card-namesake = ⚠️ Another student of the class has the same name: this one has been in the bot since { $since }. Check before you approve.
btn-approve = ✅ Approve
btn-reject = ❌ Reject
btn-reason-not-found = Request not found in Sferum
btn-reason-not-my-class = Not a student of my class
btn-reason-other = Another reason
reject-ask-reason = Why are you rejecting it? The student will see the reason.
decision-approved = { $variant ->
        [1] ✅ Approved: { $who }, { $time }
       *[other] ✅ Link sent: { $who }, { $time }
    }
decision-rejected = ❌ Rejected: { $who }, { $time }. Reason: { $reason ->
        [not-found] request not found in Sferum
        [not-my-class] not a student of this class
       *[other] { $text ->
            [none] other
           *[other] “{ $text }”
        }
    }
decision-saved = Decision saved; the student will be told.
decision-already = Already decided: { $who }, { $time }. Nothing changed.
decision-forbidden = Only a teacher of this class or an admin of this school can decide this request.
decision-unknown = Request not found: the student chose another class or deleted their data. Nothing to do.

## What the student hears

student-approved =
    ✅ { $by ->
        [teacher] { $variant ->
            [1] The class teacher of { $class } approved your request!
           *[other] The class teacher of { $class } says they gave you the class invite link.
        }
       *[school] { $variant ->
            [1] Your school approved your request to join { $class }!
           *[other] Your school says it gave you the invite link to { $class }.
        }
    }
    { $variant ->
        [1] You have joined your school and class in Sferum. { $chat ->
            [link] The class chat link comes in the next message.
           *[none] When your teacher saves the class chat link, I'll send it here; or your teacher will add you to the chat.
        }
       *[other] { $link ->
            [none] If you don't have the link, ask your teacher for it.
           *[other] If you haven't joined the class yet, open <a href="{ $link }">the invite link</a>.
        }
    }
student-rejected =
    ❌ { $variant ->
        [1] Your request to join { $class } was rejected.
       *[other] Your request for the link to { $class } was rejected.
    } Reason: { $reason ->
        [not-found] your teacher did not find your request in Sferum
        [not-my-class] your teacher thinks you are not in this class
       *[other] { $text ->
            [none] another reason
           *[other] “{ $text }”
        }
    }.
    { $reason ->
        [not-my-class] If you are in another class, choose it: /restart (or scan your class's QR code). If the class is right, send the request again with the button below or ask your class teacher.
       *[other] Check that you did every step, and send the request again with the button below, or ask your class teacher.
    }

## Invite links

invite-unknown = This invite link was not recognised. Ask the sender for a new one.
invite-used = This invite link has already been used. Ask for a new one.
invite-expired = This invite link has expired. Ask for a new one.
invite-school_admin = 🎉 You are now an admin of “{ $school }”. /whoami shows your roles, /invite_teacher makes links for class teachers, /help shows the instructions.
invite-teacher = 🎉 You are now the class teacher of { $class }, { $school }. Students' requests will arrive here. /help shows the commands and instructions.

whoami-title = <b>Your roles</b>
whoami-super-admin = • municipal admin
whoami-school-admin = • school admin: { $school }
whoami-teacher = • class teacher: { $class }, { $school }
whoami-student = • student
whoami-teacher-commands = Teacher's commands: /requests — requests, /class — the class's students, /setlink and /setchat — class links, /qr — QR codes for a poster, /stats — the class's statistics.
whoami-admin-commands = School admin's commands: /classes — classes, /newclass — a new class, /teachers — roles, /invite_teacher — a link for a teacher, /broadcast — a broadcast, /stats — the school's statistics.
whoami-super-commands = Municipal admin's commands: /newschool — a new school, /invite_admin — a link for a school admin, /stats — every school's statistics.

## Admin commands

admin-only-super = This command is for municipal admins.
admin-only-school = This command is for school admins.
admin-newschool-usage = Write the name after the command, for example: <code>/newschool School No. 5</code>
admin-school-created = School “{ $school }” created. A link for its admin: /invite_admin
admin-school-exists = School “{ $school }” already exists.
admin-newclass-usage = Write the class after the command, for example: <code>/newclass 5A</code>
admin-class-created = Class { $class } created. A link for its class teacher: /invite_teacher
admin-class-exists = Class { $class } already exists.
admin-no-schools = No schools yet: create one with /newschool.
admin-no-classes = No classes yet: create one with /newclass.
admin-pick-school = Which school needs an admin?
admin-pick-class = Which class needs a class teacher?
admin-invite-school_admin =
    A one-time link for the admin of “{ $place }” (valid for { $days } days):
    { $link }
    Forward it to that person; only one person can use it.
admin-invite-teacher =
    A one-time link for the class teacher of { $place } (valid for { $days } days):
    { $link }
    Forward it to the teacher; only one person can use it.
request-card-gone = { $why ->
        [moved] ↪️ The request to join { $class } was withdrawn: the student chose another class, { $to }. Nothing to do.
       *[forgotten] 🗑 The request to join { $class } was deleted by the student: they erased their data in the bot. Nothing to do.
    }
reject-type-reason = Type the reason in one message (up to 200 characters) — the student will see it. /cancel — don't reject.
reject-reason-invalid = The reason is plain text up to 200 characters, at least one word. Type it again, or /cancel — don't reject.
reject-reason-expected = I'm waiting for the reason as plain text (up to 200 characters). /cancel — don't reject.
reject-cancelled = OK, the request is not rejected: it is still waiting, and the card shows ✅ / ❌ again.
btn-retry-request = Send the request again 🔁
whoami-unreached = Requests nobody has received yet (no teacher or admin of their class and school in the bot): { $count }. /requests shows them.

## /help for staff (handlers/teacher.py, bot/cards.py staff_help_text): each role its own lines

staff-help-title = ℹ️ <b>For staff</b>
staff-help-teacher = Teacher: /requests, /class, /setlink, /setchat, /qr, /stats
staff-help-school-admin = School admin: /classes, /newclass, /teachers, /invite_teacher, /broadcast, /stats
staff-help-super-admin = Municipal admin: /newschool, /invite_admin, /broadcast, /stats
# Memo instruction 1: also sent to a school admin who has just redeemed the invite.
staff-help-structure = 🏫 <b>Creating classes</b>, if the school's account in { $ejournal } is not linked with Sferum: the school's Sferum admin creates the class structure in the school's account on { $sferum } and assigns class teachers (staff must be in the school in Sferum) — <a href="{ $guide_structure }">guide</a>{ $guide_structure_pages ->
        [none] {""}
       *[other] , pp. { $guide_structure_pages }
    }. Otherwise option 1 fails for every student of the school.
# Memo instruction 4; $shared: "yes" right after instruction 1 from the same guide.
staff-help-invite = 🔗 <b>Class link</b> (option 2): in Sferum, as for staff, but with the role «Ученик» ("Student") — { $shared ->
        [yes] the same guide
       *[other] <a href="{ $guide_invite }">guide</a>
    }{ $guide_invite_pages ->
        [none] {""}
       *[other] , pp. { $guide_invite_pages }
    }; then /setlink
staff-help-legal = ⚖️ ИКОП «Сферум» (Sferum) is part of the federal system “My School”: clause 3¹ of its Regulation, approved by Government Decree No. 1241 of 13.06.2022 as amended by Decree No. 1545 of 22.09.2023.
staff-help-student = As a student: /status and /start.

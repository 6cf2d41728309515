# Teachers' and admins' texts (English). Arguments arrive HTML-escaped.

cmd-whoami = My roles

## A join request, as a teacher sees it

request-card =
    📥 <b>Request to join class { $class }</b>, { $school }
    Student: <b>{ $name }</b>
    How: { $variant ->
        [1] option 1 — request on the Sferum website
       *[other] option 2 — waiting for the class invite link
    }
    Time: { $time }

    { $variant ->
        [1] First find and confirm the request in Sferum, section «Заявки» ("Requests"), then tap ✅.
       *[other] Create a class invite link in Sferum (role «Ученик», "Student"), send it to the student and tap ✅.
    }
btn-approve = ✅ Approve
btn-reject = ❌ Reject
btn-reason-not-found = Request not found in Sferum
btn-reason-not-my-class = Not a student of my class
btn-reason-other = Another reason
reject-ask-reason = Why are you rejecting it? The student will see the reason.
decision-approved = ✅ Approved: { $who }, { $time }
decision-rejected = ❌ Rejected: { $who }, { $time }. Reason: { $reason ->
        [not-found] the request was not found in Sferum
        [not-my-class] not a student of this class
       *[other] another reason
    }
decision-saved = Decision saved; the student will be told.
decision-already = Already decided: { $who }, { $time }. Nothing changed.
decision-forbidden = Only a teacher of this class or an admin of this school can decide this request.
decision-unknown = Request not found: the student may have deleted their data.

## What the student hears

student-approved =
    ✅ { $by ->
        [teacher] The class teacher of { $class } approved your request!
       *[school] Your school approved your request to join { $class }!
    }
    { $variant ->
        [1] You have joined your school and class in Sferum; your teacher can invite you to the class chat.
       *[other] Your teacher will send you the class invite link — open it to join.
    }
student-rejected =
    ❌ Your request to join { $class } was rejected. Reason: { $reason ->
        [not-found] your teacher did not find your request in Sferum
        [not-my-class] your teacher thinks you are not in this class
       *[other] another reason
    }.
    Check your school and class and send the request again (/restart), or ask your class teacher.

## Invite links

invite-unknown = This invite link was not recognised. Ask whoever sent it for a new one.
invite-used = This invite link has already been used. Ask for a new one.
invite-expired = This invite link has expired. Ask for a new one.
invite-school_admin = 🎉 You are now an admin of “{ $school }”. /whoami shows your roles, /invite_teacher makes links for class teachers.
invite-teacher = 🎉 You are now the class teacher of { $class }, { $school }. Students' requests will arrive here.

whoami-title = <b>Your roles</b>
whoami-super-admin = • municipal admin
whoami-school-admin = • school admin: { $school }
whoami-teacher = • class teacher: { $class }, { $school }
whoami-student = • student
whoami-teacher-commands = Teacher's commands: /requests — requests, /class — the class's students, /setlink and /setchat — class links, /qr — QR codes for a poster.
whoami-admin-commands = School admin's commands: /classes — classes, /newclass — a new class, /teachers — roles, /invite_teacher — a link for a teacher, /broadcast — a broadcast.
whoami-super-commands = Municipal admin's commands: /newschool — a new school, /invite_admin — a link for a school admin.

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

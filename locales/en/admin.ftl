# Admins managing a school's structure: classes and roles (English). Arguments arrive HTML-escaped.

## Picking a school

adm-pick-school-classes = Which school's classes?
adm-pick-school-teachers = Which school's teachers and admins?
adm-pick-school-new-class = Which school should get class { $class }?
adm-new-class-forgotten = The class name was not found: send /newclass with the name again.
adm-forbidden = Only an admin of this school can do this.
adm-school-gone = School not found: it may have been deleted.

## Classes

adm-classes-title = <b>Classes of “{ $school }”</b>
adm-class-line = • { $class } — { $students } { $students ->
        [one] student
       *[other] students
    }
adm-classes-empty = No classes yet.
adm-classes-hint = Buttons below: rename or remove a class, add a new one.
btn-adm-rename = ✏️ Rename { $class }
btn-adm-remove = 🗑 Remove { $class }
btn-adm-add-class = ➕ Add a class
adm-class-gone = Class not found: it may have been removed already.

## Typing a name

adm-ask-new-class = Write the name of the new class for “{ $school }”, for example <code>5A</code>. To cancel: /cancel.
adm-ask-rename = Write the new name of class { $class }. To cancel: /cancel.
adm-name-invalid = A class name has 1 to 20 characters, for example <code>5A</code>. Write it again or send /cancel.
adm-name-not-text = I am waiting for the class name as text. Write it or send /cancel.
adm-name-clash = This school already has a class { $class }. Write another name or send /cancel.
adm-renamed = Class { $old } is now { $class }. All classes: /classes
adm-cancelled = Cancelled; nothing changed.

## Removing a class

adm-remove-ask = Remove class { $class }? It has no students. The class teachers' invite links will stop working.
adm-remove-warn =
    ⚠️ <b>Remove class { $class }?</b> This is what will be lost:
    • { $students } { $students ->
        [one] student is
       *[other] students are
    } left without a class (their progress is kept, the class's requests and links are not);
    • { $requests } pending { $requests ->
        [one] request is
       *[other] requests are
    } deleted;
    • { $teachers } class teacher { $teachers ->
        [one] role is
       *[other] roles are
    } revoked.
    This cannot be undone.
btn-adm-remove-confirm = 🗑 Yes, remove
btn-adm-remove-force = 🗑 Remove with its data
btn-adm-cancel = Cancel
adm-remove-changed = While you were deciding, the number of students in the class changed. Please check again.
adm-removed = Class { $class } removed. All classes: /classes
adm-remove-kept = Class { $class } was kept as it is.

## Teachers and admins

adm-teachers-title = <b>Roles in “{ $school }”</b>
adm-teachers-admins = School admins:
adm-teachers-teachers = Class teachers:
adm-teachers-none = • none
adm-teacher-line = • { $class }: <a href="tg://user?id={ $id }">{ $name }</a>
adm-admin-line = • <a href="tg://user?id={ $id }">{ $name }</a>
adm-teachers-hint = The ✖️ button revokes a role (after you confirm).
btn-adm-revoke-admin = ✖️ Admin: { $name }
btn-adm-revoke-teacher = ✖️ { $class }: { $name }
adm-revoke-ask-admin = Revoke the school admin role of “{ $school }” from <a href="tg://user?id={ $id }">{ $name }</a>?
adm-revoke-ask-teacher = Revoke the class teacher role of { $class } from <a href="tg://user?id={ $id }">{ $name }</a>?
btn-adm-revoke-confirm = ✖️ Yes, revoke it
adm-revoked = Role revoked: <a href="tg://user?id={ $id }">{ $name }</a> is no longer { $role ->
        [school_admin] an admin of “{ $school }”
       *[teacher] the class teacher of { $class }
    }.
adm-revoke-gone = This role no longer exists: it was revoked earlier.
adm-revoke-kept = The role was kept.
adm-name-unknown = (name unknown, id { $id })

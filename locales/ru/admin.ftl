# Admins managing a school's structure: classes and roles (Russian). Arguments arrive HTML-escaped.

## Picking a school

adm-pick-school-classes = Классы какой школы показать?
adm-pick-school-teachers = Учителей и администраторов какой школы показать?
adm-pick-school-new-class = В какую школу добавить класс { $class }?
adm-new-class-forgotten = Название класса не найдено: отправьте /newclass с названием ещё раз.
adm-forbidden = Это может делать только администратор этой школы.
adm-school-gone = Школа не найдена: возможно, её удалили.

## Classes

adm-classes-title = <b>Классы школы «{ $school }»</b>
adm-class-line = • { $class } — { $students } { $students ->
        [one] ученик
        [few] ученика
       *[many] учеников
    }
adm-classes-empty = Классов пока нет.
adm-classes-hint = Кнопки ниже: переименовать или удалить класс, добавить новый.
btn-adm-rename = ✏️ Переименовать { $class }
btn-adm-remove = 🗑 Удалить { $class }
btn-adm-add-class = ➕ Добавить класс
adm-class-gone = Класс не найден: возможно, его уже удалили.

## Typing a name

adm-ask-new-class = Напишите название нового класса для школы «{ $school }», например <code>5А</code>. Отмена — /cancel.
adm-ask-rename = Напишите новое название класса { $class }. Отмена — /cancel.
adm-name-invalid = Название класса — от 1 до 20 символов, например <code>5А</code>. Напишите ещё раз или отправьте /cancel.
adm-name-not-text = Я жду название класса текстом. Напишите его или отправьте /cancel.
adm-name-clash = В этой школе уже есть класс { $class }. Напишите другое название или отправьте /cancel.
adm-renamed = Класс { $old } переименован в { $class }. Список классов: /classes
adm-cancelled = Отменено, ничего не изменилось.

## Removing a class

adm-remove-ask = Удалить класс { $class }? В нём нет учеников. Ссылки-приглашения учителей этого класса перестанут работать.
adm-remove-warn =
    ⚠️ <b>Удалить класс { $class }?</b> Будет потеряно:
    • { $students } { $students ->
        [one] ученик останется
        [few] ученика останутся
       *[many] учеников останутся
    } без класса (их прогресс сохранится, но заявки и ссылки класса пропадут);
    • { $requests } { $requests ->
        [one] ожидающая заявка будет удалена
        [few] ожидающие заявки будут удалены
       *[many] ожидающих заявок будут удалены
    };
    • { $teachers } { $teachers ->
        [one] роль классного руководителя будет снята
        [few] роли классного руководителя будут сняты
       *[many] ролей классного руководителя будут сняты
    }.
    Это нельзя отменить.
btn-adm-remove-confirm = 🗑 Да, удалить
btn-adm-remove-force = 🗑 Удалить вместе с данными
btn-adm-cancel = Отмена
adm-remove-changed = Пока вы решали, в классе стало больше или меньше учеников. Проверьте ещё раз.
adm-removed = Класс { $class } удалён. Список классов: /classes
adm-remove-kept = Класс { $class } остался как был.

## Teachers and admins

adm-teachers-title = <b>Роли в школе «{ $school }»</b>
adm-teachers-admins = Администраторы школы:
adm-teachers-teachers = Классные руководители:
adm-teachers-none = • нет
adm-teacher-line = • { $class }: <a href="tg://user?id={ $id }">{ $name }</a>
adm-admin-line = • <a href="tg://user?id={ $id }">{ $name }</a>
adm-teachers-hint = Кнопка ✖️ снимает роль (после подтверждения).
btn-adm-revoke-admin = ✖️ Администратор: { $name }
btn-adm-revoke-teacher = ✖️ { $class }: { $name }
adm-revoke-ask-admin = Снять роль администратора школы «{ $school }» с <a href="tg://user?id={ $id }">{ $name }</a>?
adm-revoke-ask-teacher = Снять роль классного руководителя { $class } с <a href="tg://user?id={ $id }">{ $name }</a>?
btn-adm-revoke-confirm = ✖️ Да, снять роль
adm-revoked = Роль снята: <a href="tg://user?id={ $id }">{ $name }</a> больше не { $role ->
        [school_admin] администратор школы «{ $school }»
       *[teacher] классный руководитель { $class }
    }.
adm-revoke-gone = Этой роли уже нет: её сняли раньше.
adm-revoke-kept = Роль осталась.
adm-name-unknown = (имя неизвестно, id { $id })

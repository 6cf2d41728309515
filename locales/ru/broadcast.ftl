# /broadcast: admins sending a message to many people (Russian). Arguments arrive HTML-escaped.

## Who may

bc-only-admins = Рассылки доступны только администраторам школ.
bc-forbidden = Эта аудитория вам недоступна (или её больше нет). Начните заново: /broadcast

## Choosing the audience

bc-choose-audience = <b>Рассылка.</b> Кому отправить сообщение?
bc-btn-everyone = 👥 Всем пользователям бота
bc-btn-my-school = 🏫 Моей школе: { $school }
bc-btn-school = 🏫 Школе…
bc-btn-class = 🎒 Классу…
bc-btn-teachers = 🧑‍🏫 Учителям
bc-btn-stuck = ⏸ Ученикам, застрявшим на шаге…
bc-btn-unfinished = ⏳ Ученикам, не прошедшим до конца
bc-btn-back = ⬅️ Назад
bc-pick-school = Какой школе отправить сообщение?
bc-pick-class-school = Классы какой школы показать?
bc-pick-class = Какому классу школы «{ $school }» отправить сообщение?
bc-pick-step = Ученикам, остановившимся на каком шаге?
bc-no-schools = Школ пока нет.
bc-no-classes = В этой школе пока нет классов.

## Audiences

bc-audience-everyone = все пользователи бота
bc-audience-teachers = все учителя
bc-audience-school = ученики школы «{ $school }»
bc-audience-class = ученики класса { $class } («{ $school }»)
bc-audience-stuck = ученики, остановившиеся на шаге «{ $step }»
bc-audience-unfinished = ученики, не прошедшие до конца
bc-empty = Получателей нет: { $audience }. Выберите другую аудиторию: /broadcast

## The message and the preview

bc-ask-message =
    Кому: { $audience } — { $count } { $count ->
        [one] получатель
        [few] получателя
       *[many] получателей
    }.
    Пришлите сообщение для рассылки: текст, фото, документ — оно будет отправлено в точности как есть. Отмена — /cancel.
bc-hint-command = Сейчас я жду сообщение для рассылки. Пришлите его или отправьте /cancel, чтобы отменить рассылку.
bc-cannot-copy = Такое сообщение нельзя переслать. Пришлите другое или отправьте /cancel.
bc-preview =
    ☝️ Так получатели увидят сообщение.
    Кому: { $audience } — { $count } { $count ->
        [one] получатель
        [few] получателя
       *[many] получателей
    }.
    Отправить? Можно прислать другое сообщение вместо этого.
bc-btn-confirm = ✅ Отправить
bc-btn-cancel = ✖️ Отменить
bc-cancelled = Рассылка отменена, ничего не отправлено.
bc-stale = Эта рассылка уже отправлена или отменена. Новая — /broadcast

## Progress and the report

bc-progress =
    📤 <b>Идёт рассылка</b> ({ $audience })
    Доставлено: { $sent }
    Ошибки: { $failed }
    Заблокировали бота: { $blocked }
    Всего: { $total }
    Скорость: { $rate } сообщ./с, осталось примерно { $eta }
bc-eta-unknown = —
bc-btn-stop = ⛔ Остановить рассылку
bc-stop-done = Рассылка остановлена.
bc-stop-finished = Рассылка уже завершена.
bc-report-done =
    ✅ <b>Рассылка завершена</b> ({ $audience })
    Доставлено: { $sent }
    Ошибки: { $failed }
    Заблокировали бота: { $blocked }
    Не отправлено: { $unsent }
    Всего: { $total }
bc-report-cancelled =
    ⛔ <b>Рассылка остановлена</b> ({ $audience })
    Доставлено: { $sent }
    Ошибки: { $failed }
    Заблокировали бота: { $blocked }
    Не отправлено: { $unsent }
    Всего: { $total }

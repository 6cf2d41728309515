# /stats: the funnel for the reader's scope (a class, a school, every school).
stats-not-staff = Статистика — для учителей и администраторов школ. Если вы учитель, попросите у администратора школы ссылку-приглашение.
stats-nothing = У вас пока нет ни класса, ни школы — статистики нет. Классы появятся, когда администратор школы их добавит.
stats-class-title = 📊 <b>Класс { $class }</b>, { $school }
stats-school-title = 📊 <b>{ $school }</b>
stats-municipality-title = 📊 <b>Все школы</b>
stats-as-of = на { $time }
stats-started = Написали боту: { $users }; дали согласие: { $consented }; ещё не выбрали класс: { $without_class }
stats-students = Учеников выбрали класс: { $count }
stats-students-of = Учеников выбрали класс: { $count } из { $expected }
stats-named = Назвали имя и фамилию: { $count }
stats-finished = Прошли все шаги памятки: { $count } ({ $percent } %)
stats-now = Сейчас на шагах:
stats-at-name = • выбор класса и имя: { $count }
stats-at-memo1 = • шаг 1, мессенджер: { $count }
stats-at-memo2 = • шаг 2, учебный профиль: { $count }
stats-at-fork = • вопрос про Госуслуги: { $count }
stats-at-memo4 = • связывание с { $ejournal }: { $count }
stats-at-memo3 = • вступление в класс (вариант 1 или 2): { $count }
stats-paths = Путь: через { $ejournal } — { $epos }, вариант 1 — { $variant1 }, вариант 2 — { $variant2 }
stats-requests = Заявки: ⏳ ждут решения — { $pending }, ✅ подтверждены — { $approved }, ❌ отклонены — { $rejected }
stats-linked = Из прошедших вариант 1 или 2 потом связали { $ejournal }: { $count }
stats-blocked = Заблокировали бота: { $count }
stats-stuck = Стоят на одном шаге дольше { $days } { $days ->
        [one] дня
       *[other] дней
    }: { $count }
stats-anonymous = В том числе обезличенных по сроку хранения (в /class их нет): { $count }
stats-days = Завершили за последние 30 дней: { $count }, из них сегодня: { $today }
stats-stuck-title = <b>Кто стоит на шаге дольше { $days } { $days ->
        [one] дня
       *[other] дней
    }</b>:
stats-stuck-line = { $number }. { $name } — { $step }, с { $since }
stats-stuck-no-name = (имя не указано)
stats-stuck-none = Никто не стоит на одном шаге дольше { $days } { $days ->
        [one] дня
       *[other] дней
    }.
stats-classes-title = <b>Классы</b>, сначала отстающие (завершили / выбрали класс):
stats-class-line = { $class }: { $finished } / { $students }{ $expected ->
        [0] {""}
       *[other] {" "}из { $expected }
    }; ⏳ { $pending }; стоят: { $stuck }
stats-waiting-title = <b>Заявки ждут решения дольше 2 дней</b>:
stats-waiting-line = { $class } — { $teachers }: { $count }, самая давняя с { $since }
stats-waiting-no-teacher = учителя класса нет в боте
stats-waiting-none = Заявок, ждущих дольше 2 дней, нет.
stats-schools-title = <b>Школы</b>, сначала отстающие (завершили / выбрали класс):
stats-school-line = { $school }: { $finished } / { $students }; ⏳ { $pending }
stats-without-teachers = <b>Школы, где ни одного учителя в боте</b> ({ $count }):
stats-without-teachers-none = В каждой школе есть хотя бы один учитель в боте.
stats-btn-nudge = 🔔 Напомнить стоящим на шаге ({ $count })
stats-btn-xlsx = 📥 Отчёт Excel
stats-forbidden = Эта статистика — не вашего класса или школы: здесь ничего не показано.
stats-xlsx-wait = Готовлю файл…
stats-xlsx-caption = 📥 Отчёт: { $scope }, на { $time }
stats-nudged = 🔔 Напоминание уходит { $sent } { $sent ->
        [one] ученику
       *[other] ученикам
    }.{ $skipped ->
        [0] {""}
       *[other] {" "}Не отправлено { $skipped }: уже получали напоминание от учителя за последние сутки, выключили напоминания, заблокировали бота или уже прошли памятку.
    }
stats-nudge-quiet = 🌙 Сейчас тихие часы ({ $from }:00–{ $to }:00): ученикам ничего не отправлено. Нажмите кнопку ещё раз после { $to }:00.
stats-nudge-nobody = Сейчас никто в классе не стоит на шаге дольше { $days } { $days ->
        [one] дня
       *[other] дней
    } — напоминать некому.
# The chart (a photo with the text) and the Excel report.
stats-chart-title = { $scope }: кто сколько прошёл
stats-chart-days = Завершили по дням, последние 30 дней
stats-chart-empty = За 30 дней никто не завершил
stats-bar-users = Написали боту
stats-bar-consented = Дали согласие
stats-bar-students = Выбрали класс
stats-bar-named = Назвали имя
stats-bar-path = Дошли до шага 3
stats-bar-finished = Прошли все шаги
stats-list-item = • { $name }
stats-scope-all = Все школы

# The Excel report (bot/stats_report.py): sheets, columns, values.
xlsx-sheet-summary = Итоги
xlsx-sheet-schools = Школы
xlsx-sheet-classes = Классы
xlsx-sheet-students = Ученики
xlsx-col-figure = Показатель
xlsx-col-value = Значение
xlsx-col-school = Школа
xlsx-col-class = Класс
xlsx-col-name = Имя и фамилия
xlsx-col-step = Шаг
xlsx-col-path = Путь
xlsx-col-request = Заявка
xlsx-col-step-at = На шаге с
xlsx-col-finished-at = Завершил(а)
xlsx-col-students = Выбрали класс
xlsx-col-expected = Учеников в классе (указано)
xlsx-col-named = Назвали имя
xlsx-col-finished = Прошли все шаги
xlsx-col-percent = Прошли, %
xlsx-col-at-name = Сейчас: выбор класса и имя
xlsx-col-at-memo1 = Сейчас: шаг 1
xlsx-col-at-memo2 = Сейчас: шаг 2
xlsx-col-at-fork = Сейчас: вопрос про Госуслуги
xlsx-col-at-memo4 = Сейчас: связывание с { $ejournal }
xlsx-col-at-memo3 = Сейчас: вступление в класс
xlsx-col-epos = Путь через { $ejournal }
xlsx-col-variant1 = Вариант 1
xlsx-col-variant2 = Вариант 2
xlsx-col-linked = Потом связали { $ejournal }
xlsx-col-pending = Заявки ждут
xlsx-col-approved = Заявки подтверждены
xlsx-col-rejected = Заявки отклонены
xlsx-col-blocked = Заблокировали бота
xlsx-col-stuck = Стоят на шаге
xlsx-col-anonymous = Обезличены
xlsx-path-epos = через { $ejournal }
xlsx-path-variant1 = вариант 1
xlsx-path-variant2 = вариант 2
xlsx-path-none = не выбран
xlsx-request-pending = ждёт решения
xlsx-request-approved = подтверждена
xlsx-request-rejected = отклонена
xlsx-request-none = нет

// JobServer: refreshes progress bars (the job details page, the Bulk inserts page) while their jobs run. A bar marked
// data-reload-when-done reloads the page once its job stops, so the page's state and counts catch up.
(function () {
    function update(block, progress) {
        var bar = block.querySelector('.progress-bar');
        var text = block.querySelector('.jobserver-progress-text');
        if (bar) {
            bar.style.width = progress.percent + '%';
            bar.setAttribute('aria-valuenow', String(progress.percent));
            bar.setAttribute('aria-valuetext', progress.text);
        }
        if (text) text.textContent = progress.text;
    }

    var misses = 0;

    function poll(block) {
        fetch(block.getAttribute('data-progress-url'), { credentials: 'same-origin', cache: 'no-store' })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (progress) {
                if (!progress) {
                    // A job listed before its first report (still Enqueued) answers 404 for a while: ask again.
                    if (block.hasAttribute('data-progress-pending') && ++misses < 120) setTimeout(function () { poll(block); }, 1000);
                    return;
                }
                update(block, progress);
                if (progress.running) setTimeout(function () { poll(block); }, 1000);
                else if (block.hasAttribute('data-reload-when-done')) window.location.reload();
            })
            .catch(function () { setTimeout(function () { poll(block); }, 5000); });
    }

    function start() {
        var blocks = document.querySelectorAll('.jobserver-progress[data-progress-url]');
        for (var i = 0; i < blocks.length; i++) poll(blocks[i]);
    }

    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
})();

// JobServer: refreshes the progress bar on Hangfire's job details page while the job runs.
(function () {
    function update(block, progress) {
        var bar = block.querySelector('.progress-bar');
        if (!bar) return;
        bar.style.width = progress.percent + '%';
        bar.setAttribute('aria-valuenow', String(progress.percent));
        bar.textContent = progress.text;
    }

    function poll(block) {
        fetch(block.getAttribute('data-progress-url'), { credentials: 'same-origin', cache: 'no-store' })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (progress) {
                if (!progress) return;
                update(block, progress);
                if (progress.running) setTimeout(function () { poll(block); }, 1000);
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

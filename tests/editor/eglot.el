;;; Emacs's own LSP client (eglot, Debian's elpa-eglot) driving `hearings lsp` in batch mode:
;;; open FILE, read flymake's diagnostics, type a wrong total on line ROW + 1, read them
;;; again, apply the quick fix through eglot; each step a line of OUT.
(require 'eglot)
(require 'flymake)
(define-derived-mode hearings-yaml-mode prog-mode "Monthly")
(setq eglot-server-programs
      `((hearings-yaml-mode . (,(getenv "PYTHON") "-m" "hearings" "lsp"))))
(setq flymake-diagnostic-functions nil)
(defun wait-until (pred seconds)
  (let ((end (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) end))
      (accept-process-output nil 0.1))
    (funcall pred)))
(defun codes ()
  (mapcar (lambda (d) (format "%d %s" (line-number-at-pos (flymake-diagnostic-beg d))
                              (flymake-diagnostic-text d)))
          (flymake-diagnostics)))
(defvar buffer (find-file-noselect (getenv "FILE")))
(defvar lines nil)
(with-current-buffer buffer
  (hearings-yaml-mode)
  (apply #'eglot (eglot--guess-contact)))
(with-current-buffer buffer
  (push (format "managed %s" (and (eglot-managed-p) t)) lines)
  (wait-until (lambda () (with-current-buffer buffer (flymake-start) (flymake-diagnostics))) 30)
  (dolist (c (codes)) (push (concat "open " c) lines))
  ;; a wrong total typed into the buffer
  (goto-char (point-min))
  (forward-line (string-to-number (getenv "ROW")))
  (delete-region (line-beginning-position) (line-end-position))
  (insert "    total: 7")
  (eglot--signal-textDocument/didChange)
  (wait-until (lambda () (with-current-buffer buffer
                           (flymake-start)
                           (seq-some (lambda (d) (string-match-p "row-total\\|the total is 7"
                                                                 (flymake-diagnostic-text d)))
                                     (flymake-diagnostics)))) 30)
  (dolist (c (codes)) (push (concat "typed " c) lines))
  ;; the quick fix, applied through eglot
  (forward-line 0)
  (let ((actions (jsonrpc-request (eglot-current-server) :textDocument/codeAction
                                  (list :textDocument (eglot--TextDocumentIdentifier)
                                        :range (list :start (eglot--pos-to-lsp-position
                                                             (line-beginning-position))
                                                     :end (eglot--pos-to-lsp-position
                                                           (line-end-position)))
                                        :context (list :diagnostics [])))))
    (push (format "actions %d" (length actions)) lines)
    (eglot--apply-workspace-edit (plist-get (aref actions 0) :edit)))
  (push (concat "fixed " (buffer-substring (line-beginning-position) (line-end-position)))
        lines))
(with-temp-file (getenv "OUT")
  (dolist (line (reverse lines)) (insert line "\n")))
(kill-emacs 0)
